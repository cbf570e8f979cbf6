"""The project on Spark gives DuckDB's answers. The same small simulated events are built twice: on a local
Spark (dbt-spark's session method, inputs as Spark tables) and on DuckDB (inputs as Parquet files). Every
table listed below must then hold the same rows, with numbers equal to 1e-9.

The list holds what builds on Spark so far: staging, the feature layer, labels and training rows, best send
times and behaviour profiles, and the model fits. Open-source dbt-spark cannot run Python models, so the
segment_models model's function runs here on the Spark tables (Spark DataFrames for dbt.ref(), the Spark
session for its SQL), as Databricks would run it; its rows must equal the DuckDB build's. Scoring and the
marts after it follow (docs/engines.md).
Run with `make test-spark` (scripts/spark_env.sh installs Java and .venv-spark first)."""

from __future__ import annotations

import datetime as dt
import decimal
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR / "tests" / "python"))

from predseg.simulator import SimulationConfig, simulate, write  # noqa: E402

SIMULATION = SimulationConfig(users=2000, days=90, seed=7)
# The models built on both engines (with their parents), and the tables compared.
SELECTED = [
    "+int_segment_training_rows",
    "+user_best_send_hours",
    "+app_best_send_hours",
    "+app_hourly_activity",
    "+best_time_backtest",
    "+user_behaviour_profile",
    "+stg_user_attributes_rejected",
    "feature_catalog",
]
# Python models: open-source dbt-spark cannot run them (the inputs are Spark tables instead).
EXCLUDED = ["base_events_input", "base_user_attributes_input"]
COMPARED = [
    "feature_catalog",
    "stg_events",
    "stg_events_rejected",
    "stg_user_attributes",
    "stg_user_attributes_rejected",
    "int_data_span",
    "int_segment_definitions",
    "int_cutoffs",
    "int_users",
    "int_user_event_days",
    "int_user_event_features",
    "int_user_features",
    "int_segment_eligibility",
    "int_segment_labels",
    "int_segment_training_rows",
    "int_user_local_activity",
    "int_user_hour_activity",
    "int_user_best_hours",
    "user_best_send_hours",
    "app_best_send_hours",
    "app_hourly_activity",
    "best_time_backtest",
    "int_user_behaviour",
    "user_behaviour_profile",
]
MAY_BE_EMPTY = {"stg_user_attributes_rejected"}  # the simulated attributes have nothing to reject
RUN_COLUMNS = {"run_id"}  # names the dbt invocation: differs between any two builds


def spark_session(spark_dir: Path):
    """A local SparkSession on the catalogue the `spark` target of profiles.yml uses (PREDSEG_SPARK_DIR)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.catalogImplementation", "hive")
        .config("spark.sql.warehouse.dir", str(spark_dir / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir / 'derby'}")
        .getOrCreate()
    )


def dbt(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR)],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, f"dbt {' '.join(args[:2])} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    work = tmp_path_factory.mktemp("spark")
    sim = work / "sim"
    write(simulate(SIMULATION), SIMULATION, sim)
    spark_dir = work / "spark"
    env = {**os.environ, "PREDSEG_SPARK_DIR": str(spark_dir), "DO_NOT_TRACK": "1",
           "PREDSEG_DUCKDB_PATH": str(work / "duck.duckdb")}  # fmt: skip

    # the inputs as Spark tables, written by another process: the local catalogue (Derby) admits one
    # process at a time, and stays locked until the process that opened it ends
    subprocess.run([sys.executable, __file__, str(spark_dir), str(sim)], check=True, capture_output=True)

    common = {"categorical_attributes": ["plan", "device"], "training_panel_users": 2000}
    spark_vars = {**common, "events_table": "raw.events", "user_attributes_table": "raw.user_attributes"}
    duckdb_vars = {**common, "events_path": str(sim / "events.parquet"),
                   "user_attributes_path": str(sim / "user_attributes.parquet")}  # fmt: skip
    selection = ["--select", *SELECTED, "--exclude", *EXCLUDED]
    started = dt.datetime.now()
    dbt(["run", "--target", "spark", "--vars", json.dumps(spark_vars), *selection,
         "--target-path", str(work / "spark_target"), "--log-path", str(work / "spark_logs")], env)  # fmt: skip
    print(f"Spark build: {(dt.datetime.now() - started).total_seconds():.1f} s")
    dbt(["run", "--vars", json.dumps(duckdb_vars), "--select", *SELECTED, "+segment_models",
         "--target-path", str(work / "duckdb_target"), "--log-path", str(work / "duckdb_logs")], env)  # fmt: skip

    spark = spark_session(spark_dir)
    manifest = json.loads((work / "duckdb_target" / "manifest.json").read_text())
    meta = manifest["nodes"]["model.predseg.segment_models"]["config"]["meta"]
    spark_models = run_python_model(PROJECT_DIR / "python_models" / "segment_models.py", spark, meta)
    yield spark, duckdb.connect(str(work / "duck.duckdb"), read_only=True), spark_models
    spark.stop()


class SparkDbt:
    """The `dbt` object a Python model gets on Databricks: ref() gives Spark DataFrames, config the meta."""

    def __init__(self, spark, meta: dict):
        self._spark = spark
        self.config = self.Config(meta)

    class Config:
        def __init__(self, meta: dict):
            self._meta = meta

        def __call__(self, **_):
            pass

        def meta_get(self, key):
            return self._meta[key]

    def ref(self, name: str):
        return self._spark.table(f"predseg.{name}")


def run_python_model(path: Path, spark, meta: dict):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.model(SparkDbt(spark, meta), spark)


def comparable(value):
    """A value in a form both engines' results share: dates and times as text, decimals as floats."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):  # None, NaN, pd.NA, NaT
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def sort_key(row: tuple) -> tuple:
    return tuple((0, "") if v is None else (1, f"{v:.6g}" if isinstance(v, float) else str(v)) for v in row)


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def assert_same_rows(name: str, columns: list[str], expected_rows, actual_rows) -> int:
    """The two engines' rows (tuples in `columns` order) are the same, in any order: numbers to 1e-9.
    Returns how many there are."""
    expected = sorted((tuple(comparable(v) for v in row) for row in expected_rows), key=sort_key)
    actual = sorted((tuple(comparable(v) for v in row) for row in actual_rows), key=sort_key)
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        differing = [(c, w, g) for c, w, g in zip(columns, want, got, strict=True) if not same(w, g)]
        assert not differing, f"{name}: first differing row, columns {differing[:4]}"
    return len(expected)


@pytest.mark.parametrize("table", COMPARED)
def test_spark_builds_the_same_table_as_duckdb(builds, table):
    spark, con, _ = builds
    columns = [c for (c, *_) in con.execute(f"describe {table}").fetchall() if c not in RUN_COLUMNS]
    spark_columns = [c for c in spark.table(f"predseg.{table}").columns if c not in RUN_COLUMNS]
    assert sorted(spark_columns) == sorted(columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    rows = assert_same_rows(
        table,
        columns,
        con.execute(f"select {quoted} from {table}").fetchall(),
        (tuple(row[c] for c in columns) for row in spark.table(f"predseg.{table}").collect()),
    )
    assert rows or table in MAY_BE_EMPTY


def test_the_model_fits_on_spark_equal_duckdbs(builds):
    _, con, spark_models = builds
    expected = con.execute("select * from segment_models").df()
    columns = [c for c in expected.columns if c not in RUN_COLUMNS]
    assert sorted(c for c in spark_models.columns if c not in RUN_COLUMNS) == sorted(columns)
    statuses = expected.drop_duplicates("segment_name")["status"]
    assert (statuses == "ok").sum() >= 2  # real fits, not only notes
    rows = assert_same_rows(
        "segment_models",
        columns,
        expected[columns].itertuples(index=False),
        spark_models[columns].itertuples(index=False),
    )
    assert rows > 0


def load_inputs(spark_dir: Path, sim: Path) -> None:
    """The simulated events and attributes as the Spark tables raw.events and raw.user_attributes."""
    spark = spark_session(spark_dir)
    spark.sql("create database if not exists raw")
    for name in ("events", "user_attributes"):
        spark.read.parquet(str(sim / f"{name}.parquet")).write.mode("overwrite").saveAsTable(f"raw.{name}")
    spark.stop()


if __name__ == "__main__":
    load_inputs(Path(sys.argv[1]), Path(sys.argv[2]))
