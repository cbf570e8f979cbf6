# Sourced by the scripts: no telemetry, dbt finds the repo's profiles.yml.
export DO_NOT_TRACK=1
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$PWD}"
export PATH="$PWD/.venv/bin:$PATH"
