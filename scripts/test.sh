#!/usr/bin/env bash
# Every test: dbt build (models, data tests, unit tests, singular tests) on the demo data, pytest
# (end-to-end runs on simulated data with known ground truth, bad input, bad configuration), then the
# linters (sqlfluff on all SQL, ruff on all Python).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
source scripts/env.sh

echo "== simulate demo data"
python -m predseg.simulator --users "${DEMO_USERS:-20000}" --days "${DEMO_DAYS:-120}" \
    --seed "${DEMO_SEED:-42}" --out data/demo
echo "== dbt build (models, data tests, unit tests)"
dbt build --vars "{demo: true}"
echo "== headless chromium for the browser tests"
scripts/browser.sh
echo "== pytest"
python -m pytest -q -n 2 --dist loadfile  # the test modules on both cores
echo "== sqlfluff lint"
sqlfluff lint models tests/intermediate tests/staging tests/marts
echo "== ruff"
ruff check predseg python_models tests scripts
ruff format --check predseg python_models tests scripts
