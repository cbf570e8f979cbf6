"""On Spark, inputs are tables or Parquet paths; a CSV path (read by DuckDB-only Python models elsewhere) or a
JSON path (read by DuckDB) stops the build with a message that says what to do, before anything reads it,
and so does the DuckDB-only event_time_format var."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def compile_base_events_on_spark(tmp_path: Path, dbt_vars: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREDSEG_SPARK_DIR": str(tmp_path / "spark"), "DO_NOT_TRACK": "1"}
    return subprocess.run(
        # --no-populate-cache: the check is in the model's templating, which then needs no Spark session
        # (starting one costs about half a minute here)
        [str(Path(sys.executable).with_name("dbt")), "compile", "--target", "spark", "--select", "base_events",
         "--no-populate-cache", "--vars", json.dumps(dbt_vars), "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("events.csv", "user_id,event_name,event_time\nu1,purchase,2026-05-01\n", "CSV"),
        ("events.jsonl", '{"user_id": "u1", "event_name": "purchase", "event_time": "2026-05-01"}\n', "JSON"),
    ],
)
def test_a_csv_or_json_path_on_spark_says_to_load_it_into_a_table(tmp_path, name, text, kind):
    path = tmp_path / name
    path.write_text(text)
    result = compile_base_events_on_spark(tmp_path, {"events_path": str(path)})
    assert result.returncode != 0
    assert (
        f"The events input events_path '{path}' is a {kind} file: on Spark, paths are read as Parquet" in result.stdout
    )
    assert "set var 'events_table'" in result.stdout


def test_a_time_format_on_spark_says_to_load_times_as_timestamps(tmp_path):
    result = compile_base_events_on_spark(
        tmp_path, {"events_table": "raw.events", "event_time_format": "%m/%d/%Y %H:%M"}
    )
    assert result.returncode != 0
    assert "var event_time_format is read on DuckDB only" in result.stdout
