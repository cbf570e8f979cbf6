"""The project on Spark gives DuckDB's answers. The same small simulated events are built twice: on a local
Spark (dbt-spark's session method; the events from their Parquet file, the user attributes from a Spark
table) and on DuckDB. Every table the DuckDB build makes must then hold the same rows on Spark, with numbers
equal to 1e-9: staging, features, labels, the model fits, scores, members, send plans, personas, history.

Open-source dbt-spark cannot run Python models. So on Spark dbt builds (models, seeds, data tests)
everything up to the two model fits; then the fits' functions run here on the Spark tables (Spark
DataFrames for dbt.ref(), the Spark session for their SQL), as Databricks would run them, and their frames
are written as the Spark tables segment_models and persona_models; then dbt builds everything after them.
The CSV readers (base_*_input) are not needed for Parquet or table inputs, and publication is DuckDB's
(on Spark consumers read the tables themselves). dbt's own generic tests (not_null, unique,
accepted_values, relationships) run on Spark once per kind, not on every column: they pass on the DuckDB
build (a `dbt build`), and each table they test must hold DuckDB's rows on Spark, so they would pass there
too; the project's own generic tests, whose SQL differs with their arguments, the singular tests and the
unit tests run on Spark (but those of the log of refit days, which is DuckDB's: on Spark every night
refits). The history tables are built twice on Spark (a rerun
night), and must still equal DuckDB's single night. Every Spark step runs in the tests' process, on one
Spark session (dbt through its Python entry point); the DuckDB build runs beside them in its own.
Run with `make test-spark` (scripts/spark_env.sh installs Java and .venv-spark first)."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from predseg.simulator import SimulationConfig, simulate, write
from predseg.spark_fits import FITS, local_session, run_fit

PROJECT_DIR = Path(__file__).resolve().parents[2]
# PySpark 4.3 warns of pandas 3 at every conversion the fits make in this process; the comparison of every
# table below is what says whether the results hold.
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

SIMULATION = SimulationConfig(users=2000, days=90, seed=7)
NOT_ON_SPARK = ["base_events_input", "base_user_attributes_input", "publication"]  # see the docstring
DBT_GENERIC_TESTS = ["not_null", "unique", "accepted_values", "relationships"]  # run once per kind on Spark
ONCE_PER_KIND = [f"test_name:{name}" for name in DBT_GENERIC_TESTS]
# Tables that may rightly be empty after one night.
MAY_BE_EMPTY = {
    "stg_user_attributes_rejected",  # the simulated attributes have nothing to reject
    "campaigns",  # the demo uses demo_campaigns
    "segment_realised_precision",  # no published night's future window has elapsed yet
}
RUN_COLUMNS = {"run_id", "published_run_id", "built_at"}  # name the run: differ between any two builds


def dbt_duckdb(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """The DuckDB build, in its own process (started here, waited for by finish())."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR)],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def finish(build: subprocess.Popen) -> None:
    output, _ = build.communicate()
    assert build.returncode == 0, f"the DuckDB build failed:\n{output[-6000:]}"


def dbt_spark(args: list[str]) -> None:
    """dbt on the `spark` target in this process: its session is the one this process already holds."""
    from dbt.cli.main import dbtRunner

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = dbtRunner().invoke(
            [*args, "--target", "spark", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
             "--no-use-colors"]
        )  # fmt: skip
    assert result.success, f"dbt {' '.join(args[:1])} on Spark failed:\n{out.getvalue()[-6000:]}\n{result.exception}"


def timed(label: str, step) -> None:
    started = dt.datetime.now()
    step()
    print(f"{label}: {(dt.datetime.now() - started).total_seconds():.1f} s")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("spark")
    sim = work / "sim"
    write(simulate(SIMULATION), SIMULATION, sim)
    spark_dir = work / "spark"
    duckdb_path = work / "duck.duckdb"
    env = {"PREDSEG_SPARK_DIR": str(spark_dir), "DO_NOT_TRACK": "1", "PREDSEG_DUCKDB_PATH": str(duckdb_path)}

    # the demo's campaigns and categorical attributes, on the simulated files
    common = {"demo": True, "categorical_attributes": ["plan", "device"], "training_panel_users": 2000,
              "events_path": str(sim / "events.parquet")}  # fmt: skip
    duckdb_vars = {**common, "user_attributes_path": str(sim / "user_attributes.parquet")}
    # one night's run in several dbt invocations: each stamps the same run id
    spark_vars = {**common, "user_attributes_table": "raw.user_attributes", "run_id": f"spark-{work.name}"}
    paths = {
        name: ["--target-path", str(work / f"{name}_target"), "--log-path", str(work / f"{name}_logs")]
        for name in ("duckdb", "spark")
    }
    # The DuckDB build runs in its own process beside the Spark steps; everything on Spark runs in this
    # process, on one local session: the local catalogue (Derby) admits one process at a time, and one
    # JVM started once, not once per step, saves its start and warm-up at every step.
    duckdb_started = dt.datetime.now()
    duckdb_build = dbt_duckdb(["build", "--vars", json.dumps(duckdb_vars), *paths["duckdb"]], {**os.environ, **env})
    with contextlib.ExitStack() as cleanup, pytest.MonkeyPatch.context() as patch:
        cleanup.callback(duckdb_build.kill)  # a no-op once it has ended; stops it when a Spark step fails
        for key, value in env.items():
            patch.setenv(key, value)
        patch.chdir(PROJECT_DIR)
        session = local_session(spark_dir)
        cleanup.callback(session.stop)
        timed("Spark inputs", lambda: load_inputs(session, sim))
        spark = ["--vars", json.dumps(spark_vars), *paths["spark"]]
        fits_and_after = [f"{name}+" for name in FITS]  # the fits' Python models run outside dbt
        up_to_the_fits = ["--exclude", *fits_and_after, *NOT_ON_SPARK, *ONCE_PER_KIND]
        timed("Spark build up to the fits", lambda: dbt_spark(["build", *spark, *up_to_the_fits]))
        manifest = json.loads((work / "spark_target" / "manifest.json").read_text())
        timed("Spark fits", lambda: run_fits(session, manifest))
        after_the_fits = ["--select", *fits_and_after, "--exclude", *FITS, *NOT_ON_SPARK, *ONCE_PER_KIND]
        timed("Spark build after the fits", lambda: dbt_spark(["build", *spark, *after_the_fits]))
        samples = one_test_per_kind(manifest)
        timed("Spark: one of dbt's tests per kind", lambda: dbt_spark(["test", *spark, "--select", *samples]))
        timed("Spark history rerun", lambda: dbt_spark(["run", *spark, "--select", "path:models/marts/history"]))
        finish(duckdb_build)
        print(f"DuckDB build, beside them: {(dt.datetime.now() - duckdb_started).total_seconds():.1f} s to here")

        manifest_nodes = json.loads((work / "duckdb_target" / "manifest.json").read_text())["nodes"].values()
        tables = sorted(
            node["name"] for node in manifest_nodes
            if node["resource_type"] in ("model", "seed") and node["name"] not in NOT_ON_SPARK
        )  # fmt: skip
        con = cleanup.enter_context(duckdb.connect(str(duckdb_path), read_only=True))
        yield session, con, tables


def load_inputs(spark, sim: Path) -> None:
    """The simulated user attributes as the Spark table raw.user_attributes (the events are read from
    their Parquet file)."""
    spark.sql("create database if not exists raw")
    spark.read.parquet(str(sim / "user_attributes.parquet")).write.mode("overwrite").saveAsTable("raw.user_attributes")


def one_test_per_kind(manifest: dict) -> list[str]:
    """One test of each of dbt's generic kinds, on a table Spark builds; one with a `where` first."""
    tests = sorted(
        (not node["config"].get("where"), node["name"], node["test_metadata"]["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") in DBT_GENERIC_TESTS
        and node["attached_node"].split(".")[-1] not in NOT_ON_SPARK
    )  # fmt: skip
    samples = {}
    for _, name, kind in tests:
        samples.setdefault(kind, name)
    assert sorted(samples) == sorted(DBT_GENERIC_TESTS), samples
    return list(samples.values())


def run_fits(spark, manifest: dict) -> None:
    """The two fits on the Spark tables, written as dbt would write them (predseg.spark_fits); then the
    personas once more, a rerun of the same night: the incremental table replaces that night's rows."""
    for name in [*FITS, "persona_models"]:
        run_fit(spark, manifest, name, project_dir=PROJECT_DIR)


def comparable(value):
    """A value in a form both engines' results share: dates and times as text, decimals as floats, lists
    (arrays) as tuples. A time of day is text on Spark (it has no TIME type)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:  # most values, first: millions of them per build
        return value
    if kind is float:
        return None if math.isnan(value) else value
    if isinstance(value, list | tuple):
        return tuple(comparable(v) for v in value)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):  # None, NaN, pd.NA, NaT
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def sort_key(row: tuple) -> tuple:
    return tuple(
        (1, v) if type(v) is str else (0, "") if v is None else (1, f"{v:.6g}" if isinstance(v, float) else str(v))
        for v in row
    )


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def difference(columns: list[str], expected_rows, actual_rows) -> str | None:
    """None when the two engines' rows (tuples in `columns` order) are the same in any order, numbers to
    1e-9; else what differs first."""
    expected = sorted((tuple(map(comparable, row)) for row in expected_rows), key=sort_key)
    actual = sorted((tuple(map(comparable, row)) for row in actual_rows), key=sort_key)
    if len(actual) != len(expected):
        return f"{len(expected)} rows on DuckDB, {len(actual)} on Spark"
    for want, got in zip(expected, actual, strict=True):
        differing = [(c, w, g) for c, w, g in zip(columns, want, got, strict=True) if not same(w, g)]
        if differing:
            return f"first differing row, columns (name, DuckDB, Spark): {differing[:4]}"
    return None


def table_difference(spark, con, table: str) -> str | None:
    columns = [c for (c, *_) in con.execute(f"describe {table}").fetchall() if c not in RUN_COLUMNS]
    spark_columns = [c for c in spark.table(f"predseg.{table}").columns if c not in RUN_COLUMNS]
    if sorted(spark_columns) != sorted(columns):
        return f"columns differ: DuckDB {sorted(columns)}, Spark {sorted(spark_columns)}"
    quoted = ", ".join(f'"{c}"' for c in columns)
    expected = con.execute(f"select {quoted} from {table}").fetchall()
    if not expected and table not in MAY_BE_EMPTY:
        return "empty on DuckDB: nothing compared"
    # Spark's rows in DuckDB's column order: a Row is a tuple, read by position rather than by name
    actual = spark.table(f"predseg.{table}").select(*(f"`{c}`" for c in columns)).collect()
    return difference(columns, expected, actual)


def test_every_table_spark_builds_equals_duckdbs(builds):
    spark, con, tables = builds
    assert {"segment_members", "campaign_send_plan", "user_personas", "segment_membership_history"} <= set(tables)
    problems = {table: problem for table in tables if (problem := table_difference(spark, con, table))}
    assert not problems, "\n".join(f"{table}: {problem}" for table, problem in problems.items())


def test_the_fits_on_spark_are_real_fits(builds):
    """The comparison above is not of empty notes: segments were fitted and personas found."""
    spark, _, _ = builds
    statuses = {row.segment_name: row.status for row in spark.table("predseg.segment_models").collect()}
    assert sum(status == "ok" for status in statuses.values()) >= 2, statuses
    sends = spark.sql("select count(*) as n from predseg.campaign_send_plan where not is_skipped").first().n
    assert sends > 0


def test_a_difference_is_found():
    """The comparison fails on a number off in the 8th digit, a missing row, and another text."""
    columns = ["user_id", "score"]
    rows = [("a", 0.5), ("b", 0.25)]
    assert difference(columns, rows, list(reversed(rows))) is None
    assert difference(columns, rows, [("a", 0.5), ("b", 0.2500001)]) is not None
    assert difference(columns, rows, rows[:1]) is not None
    assert difference(columns, rows, [("a", 0.5), ("c", 0.25)]) is not None
