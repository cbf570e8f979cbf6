#!/usr/bin/env bash
# Benchmark (not a test): 200k users / ~10M events through the whole build; prints timings and peak RSS.
# Extra arguments go to predseg.bench (for example --users 50000 or --command build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
source scripts/env.sh
python -m predseg.bench "$@"
