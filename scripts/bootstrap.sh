#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv from the pinned requirements.
# Safe to run repeatedly: it reinstalls only when requirements.txt or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
stamp=.venv/.installed-from
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)

if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
if [ ! -x .venv/bin/python ]; then
    echo "creating .venv with $($python --version)"
    "$python" -m venv .venv
fi
echo "installing pinned requirements into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
echo "$want" > "$stamp"
