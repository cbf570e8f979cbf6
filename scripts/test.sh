#!/usr/bin/env bash
# Every test: pytest (end-to-end dbt builds on simulated data with known ground truth, among them the
# demo's build on demo-sized data with every data, unit and singular test; bad input, bad configuration),
# with the SQL linter beside it (sqlfluff on all SQL), then ruff on all Python.
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
lint_pid=
lint_log=
finish() {
    if [ "$BASHPID" != "$$" ]; then return; fi  # not in the background linter's own shell
    if [ -n "$lint_pid" ]; then kill "$lint_pid" 2>/dev/null || true; fi
    if [ -n "$lint_log" ]; then rm -f "$lint_log"; fi
    report_total
}
trap finish EXIT
step "bootstrap (virtualenv)"
scripts/bootstrap.sh
source scripts/env.sh

step "headless chromium for the browser tests"
scripts/browser.sh
step "pytest, with sqlfluff lint beside it"
# The linter runs while the tests do, on the CPU their dbt runs leave (its report follows the tests'):
# in one process (scripts/sqlfluff_lint.py), since a second one costs CPU the tests need.
lint_log=$(mktemp)
python scripts/sqlfluff_lint.py >"$lint_log" 2>&1 &
lint_pid=$!
python -m pytest -q -n 2  # the test modules on both cores, a module per worker (tests/python/conftest.py)
step "sqlfluff lint (waiting for it)"
lint_status=0
wait "$lint_pid" || lint_status=$?
lint_pid=
cat "$lint_log"
if [ "$lint_status" -ne 0 ]; then
    echo "sqlfluff lint failed (exit $lint_status)"
    exit "$lint_status"
fi
step "ruff"
ruff check predseg python_models tests scripts
ruff format --check predseg python_models tests scripts
step "done"
