"""Running a dbt command of this project against its own database, target and log folders (for the tests,
the benchmark and the drift evaluation): the command line and the environment; and the vars their
command lines take."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]


def dbt_invocation(args: list[str], database: Path, workdir: Path, dbt_vars: dict) -> tuple[list[str], dict[str, str]]:
    """``dbt <args>`` with the project's profile, writing ``database`` and ``workdir``/target and /logs,
    with ``dbt_vars``; and the environment (no telemetry)."""
    env = {
        **os.environ,
        "PREDSEG_DUCKDB_PATH": str(database),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    cmd = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
        "--vars",
        json.dumps(dbt_vars),
    ]
    return cmd, env


def parse_vars(text: str) -> dict:
    """The ``--vars`` argument: a YAML (or JSON) mapping of dbt vars, as dbt's own ``--vars`` takes."""
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise argparse.ArgumentTypeError(f"not YAML: {error}") from None
    if not isinstance(parsed, dict) or not all(isinstance(key, str) for key in parsed):
        raise argparse.ArgumentTypeError(
            f"a mapping of var names to values, e.g. '{{training_panel_users: 25000}}'; got {text!r}"
        )
    return parsed
