#!/usr/bin/env bash
# Every test: pytest (end-to-end dbt builds on simulated data with known ground truth, among them the
# demo's build on demo-sized data with every data, unit and singular test; bad input, bad configuration),
# then the linters (sqlfluff on all SQL, ruff on all Python).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step_started=$SECONDS
# each step's time, and the whole run's at the end
step() {
    if [ -n "${step_name:-}" ]; then echo "   (${step_name}: $((SECONDS - step_started)) s)"; fi
    step_name=$1
    step_started=$SECONDS
    echo "== $1"
}
report_total() {
    if [ -z "${reported:-}" ]; then
        reported=1
        echo "== make test: $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
    fi
}
trap report_total EXIT
step "bootstrap (virtualenv)"
scripts/bootstrap.sh
source scripts/env.sh

step "headless chromium for the browser tests"
scripts/browser.sh
step "pytest"
python -m pytest -q -n 2  # the test modules on both cores, a module per worker (tests/python/conftest.py)
step "sqlfluff lint"
sqlfluff lint --processes 2 models tests/intermediate tests/staging tests/marts
step "ruff"
ruff check predseg python_models tests scripts
ruff format --check predseg python_models tests scripts
step "done"
