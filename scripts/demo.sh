#!/usr/bin/env bash
# The main job on the embedded DuckDB demo: simulate events, build every model with its tests, print a
# summary. DEMO_USERS / DEMO_DAYS / DEMO_SEED change the simulated data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
source scripts/env.sh

python -m predseg.simulator --users "${DEMO_USERS:-20000}" --days "${DEMO_DAYS:-120}" \
    --seed "${DEMO_SEED:-42}" --out data/demo
dbt build --vars "{demo: true}"
python -m predseg.summary target/predseg.duckdb
