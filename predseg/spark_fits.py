"""Run the project's model fits on Spark, between two dbt invocations, where dbt cannot run Python models.

Open-source dbt-spark runs no Python models (Databricks does). There a night's run is three steps:
`dbt build` of everything before the fits, this module, then `dbt build` of everything after them
(docs/engines.md). This module calls each fit model's own function, as dbt would: `dbt.ref()` gives Spark
DataFrames, `dbt.config.meta_get()` the model's meta from dbt's manifest, and the session is the Spark
session. It writes each returned pandas frame as the table dbt would write, with the column types the
model's YAML declares (`data_type`): Spark cannot infer a type from a column of nulls.

- `segment_models` (a table) is replaced.
- `persona_models` (incremental: every night's fit is kept) is partitioned by `as_of_date`; a run
  replaces its own night's partition and keeps the others, as `replace_night` does on DuckDB. A model
  sees `dbt.is_incremental` true when its table exists (it then reads its earlier nights).

Usage: on a cluster, where the Spark session's configuration comes from the cluster,
    python -m predseg.spark_fits --manifest target/manifest.json [--schema predseg]
and on this machine, with the local catalogue of profiles.yml's `spark` target (PREDSEG_SPARK_DIR),
    python -m predseg.spark_fits --local
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
from pathlib import Path

import pandas as pd

FITS = ("segment_models", "persona_models")


def local_session(spark_dir: Path | None = None):
    """A local SparkSession on the catalogue and warehouse of profiles.yml's `spark` target: under
    `spark_dir`, else PREDSEG_SPARK_DIR, else /tmp/predseg-spark."""
    from pyspark.sql import SparkSession

    spark_dir = Path(spark_dir or os.environ.get("PREDSEG_SPARK_DIR", "/tmp/predseg-spark"))
    return (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.catalogImplementation", "hive")
        .config("spark.sql.warehouse.dir", str(spark_dir / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir / 'derby'}")
        .config("spark.driver.memory", "3g")
        .getOrCreate()
    )


class SparkDbt:
    """The `dbt` object a Python model gets: ref() gives the schema's Spark tables, config the meta."""

    def __init__(self, spark, schema: str, name: str, meta: dict, is_incremental: bool):
        self._spark = spark
        self._schema = schema
        self.config = self.Config(meta)
        self.this = f"{schema}.{name}"
        self.is_incremental = is_incremental

    class Config:
        def __init__(self, meta: dict):
            self._meta = meta

        def __call__(self, **_):
            pass  # the materialization is this module's job

        def meta_get(self, key: str):
            return self._meta[key]

    def ref(self, name: str):
        return self._spark.table(f"{self._schema}.{name}")


def declared_schema(node: dict, columns: list[str]) -> str:
    """The Spark schema of a model's frame, from the data_type of each column in its YAML."""
    declared = {name: column.get("data_type") for name, column in node["columns"].items()}
    missing = [c for c in columns if not declared.get(c)]
    if missing:
        raise ValueError(
            f"{node['name']}: no data_type in its YAML for column(s) {', '.join(missing)}; "
            "every column of a model fitted on Spark needs one"
        )
    return ", ".join(f"`{column}` {declared[column]}" for column in columns)


def spark_rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows with every missing value (NaN, NaT, pd.NA) as None, which Spark writes as null."""
    return [
        tuple(None if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else value for value in row)
        for row in frame.astype(object).itertuples(index=False)
    ]


def table_exists(spark, table: str) -> bool:
    return bool(spark.catalog.tableExists(table))


def run_fit(spark, manifest: dict, name: str, schema: str = "predseg", project_dir: Path = Path(".")) -> int:
    """Fit one model on the schema's Spark tables and write its table. Returns the rows written."""
    node = manifest["nodes"][f"model.{manifest['metadata'].get('project_name', 'predseg')}.{name}"]
    path = Path(project_dir) / node["original_file_path"]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = f"{schema}.{name}"
    incremental = node["config"]["materialized"] == "incremental"
    dbt = SparkDbt(spark, schema, name, node["config"].get("meta", {}), incremental and table_exists(spark, table))
    frame = module.model(dbt, spark)
    written = spark.createDataFrame(spark_rows(frame), declared_schema(node, list(frame.columns)))
    if not incremental:
        written.write.mode("overwrite").format("parquet").saveAsTable(table)
    elif not table_exists(spark, table):
        written.write.format("parquet").partitionBy("as_of_date").saveAsTable(table)
    else:
        # tonight's partition replaced (dropped first, so a night now without rows keeps none), others kept
        nights = sorted({str(night) for night in frame["as_of_date"].dropna()})
        for night in nights:
            spark.sql(f"alter table {table} drop if exists partition (as_of_date = date'{night}')")
        ordered = spark.table(table).columns
        written.select(*ordered).write.insertInto(table)
    return len(frame)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"), help="dbt's manifest.json")
    parser.add_argument("--schema", default="predseg", help="the schema dbt builds in (the target's)")
    parser.add_argument("--models", nargs="*", default=list(FITS), help="which fits to run")
    parser.add_argument("--project-dir", type=Path, default=Path("."), help="the dbt project's folder")
    parser.add_argument("--local", action="store_true", help="a local session, as the `spark` target's")
    args = parser.parse_args(argv)
    if args.local:
        spark = local_session()
    else:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.enableHiveSupport().getOrCreate()
    manifest = json.loads(args.manifest.read_text())
    for name in args.models:
        rows = run_fit(spark, manifest, name, args.schema, args.project_dir)
        print(f"{args.schema}.{name}: {rows} rows")


if __name__ == "__main__":
    main()
