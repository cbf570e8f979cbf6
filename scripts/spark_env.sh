#!/usr/bin/env bash
# The local Spark environment: a Java runtime (Debian's, when none is installed) and .venv-spark, which is
# .venv (the DuckDB setup, scripts/bootstrap.sh) with the four packages of requirements-spark.txt on top.
# .venv-spark holds only those four; its Python also reads .venv's packages (a .pth file adds .venv's
# site-packages, with the .pth files there), so the DuckDB requirements are not installed a second time.
# Safe to run repeatedly: it rebuilds .venv-spark only when the requirements or pyproject.toml change.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v java >/dev/null 2>&1; then
    echo "installing a Java runtime (Spark needs Java 17 or newer)"
    apt-get update -qq
    apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

scripts/bootstrap.sh
python=.venv/bin/python
stamp=.venv-spark/.installed-from
want=$(cat requirements.txt requirements-spark.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv-spark/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "creating .venv-spark on top of .venv"
rm -rf .venv-spark
"$python" -m venv .venv-spark
base=$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
own=$(.venv-spark/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# a line that starts with `import` runs at start-up: addsitedir also reads .venv's .pth files (the
# project's editable install among them); .venv-spark's own packages stay first on the path
echo "import site; site.addsitedir('$base')" > "$own/predseg-duckdb-packages.pth"
echo "installing requirements-spark.txt into .venv-spark"
# --no-deps: every other package comes from .venv, and pip must never reinstall one of them here
.venv-spark/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-spark.txt
.venv-spark/bin/python -m pip check --disable-pip-version-check
# dbt's command, run by .venv-spark's Python (its console script lives in .venv/bin)
cat > .venv-spark/bin/dbt <<SCRIPT
#!$(pwd)/.venv-spark/bin/python
import sys
from dbt.cli.main import cli
sys.exit(cli())
SCRIPT
chmod +x .venv-spark/bin/dbt
echo "$want" > "$stamp"
