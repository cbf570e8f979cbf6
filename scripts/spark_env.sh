#!/usr/bin/env bash
# The local Spark environment: a Java runtime (Debian's, when none is installed) and .venv-spark with the
# pinned requirements of both engines (requirements.txt and requirements-spark.txt). Safe to run
# repeatedly: it reinstalls only when those files change.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v java >/dev/null 2>&1; then
    echo "installing a Java runtime (Spark needs Java 17 or newer)"
    apt-get update -qq
    apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

python=${PYTHON:-python3}
stamp=.venv-spark/.installed-from
want=$(cat requirements.txt requirements-spark.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv-spark/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
if [ ! -x .venv-spark/bin/python ]; then
    echo "creating .venv-spark with $($python --version)"
    "$python" -m venv .venv-spark
fi
echo "installing pinned requirements into .venv-spark"
.venv-spark/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-spark.txt
.venv-spark/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
echo "$want" > "$stamp"
