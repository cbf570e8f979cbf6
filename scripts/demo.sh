#!/usr/bin/env bash
# The main job on the embedded DuckDB demo: simulate events, build every model with its tests, print a
# summary and write the report. DEMO_USERS / DEMO_DAYS / DEMO_SEED change the simulated data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
source scripts/env.sh

echo "== 1/4 simulating the demo's users and events (data/demo)"
python -m predseg.simulator --users "${DEMO_USERS:-20000}" --days "${DEMO_DAYS:-120}" \
    --seed "${DEMO_SEED:-42}" --out data/demo
echo "== 2/4 dbt build: every model with its data and unit tests (target/predseg.duckdb)"
dbt build --vars "{demo: true}"
echo "== 3/4 summary"
python -m predseg.summary target/predseg.duckdb
echo "== 4/4 the report"
python -m predseg.report --database target/predseg.duckdb --out target/report.html
