"""Operating the build: one run's consumer tables are published together (never a mix), readers can read
the published copy during a build, and a second build or a termination gets one clear message."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtProject, project_on


def published_runs(path: Path) -> set[tuple]:
    """The (run_id, as_of_date) of every published table: of the whole table, or of the published night's
    slice for history tables (which keep every night)."""
    with duckdb.connect(str(path), read_only=True) as con:
        (publication,) = con.execute(
            "select run_id, as_of_date, status, tables, history_tables from publication"
        ).fetchall()
        history = set(publication[4].split(", "))
        assert "segment_changes" in history
        runs = set()
        for table in publication[3].split(", "):
            if table in history:
                night = "judged_as_of_date" if table == "segment_realised_precision" else "as_of_date"
                sql = f"select distinct run_id, {night} from {table} where {night} = ?"
                runs |= set(con.execute(sql, [publication[1]]).fetchall())
            else:
                runs |= set(con.execute(f"select distinct run_id, as_of_date from {table}").fetchall())
    assert publication[2] == "published"
    assert {(publication[0], publication[1])} == runs
    return runs


@pytest.fixture(scope="module")
def ops(small_sim, tmp_path_factory) -> DbtProject:
    """A complete build of seeds and models (run A, as_of the last day) with its published copy. Its data
    tests run in the demo-sized build; publishing, which is what this module is about, does not need them."""
    project = project_on(small_sim, tmp_path_factory.mktemp("ops"), training_panel_users=2000)
    # with dbt's JSON artefacts: a test reads the manifest
    project.dbt("build", "--resource-type", "seed", "--resource-type", "model", write_json=True)
    return project


@pytest.fixture(scope="module")
def published(ops) -> Path:
    return ops.workdir / "predseg.published.duckdb"


def start_build(project: DbtProject, log: Path, vars: dict | None = None) -> subprocess.Popen:
    """`dbt build` of the models (the data tests change nothing about being interrupted) as a command."""
    cmd, env = project.invocation(
        "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test", vars=vars
    )
    return subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_for(log: Path, text: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the log holds `text` (a regular expression: a model's materialization follows the settings)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(text, log.read_text()):
            return
        if process.poll() is not None:
            raise AssertionError(f"the build ended before {text!r}:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not seen in {timeout} s")


@pytest.fixture(scope="module")
def earlier_as_of(ops) -> str:
    """An as_of three days before run A's: the other run the tests start. One date for all of them, so that
    dbt's saved parse (kept per set of vars) serves every build after the first."""
    as_of = ops.query("select as_of_date from int_data_span")["as_of_date"][0]
    return str((as_of - pd.Timedelta(days=3)).date())


def test_a_complete_build_publishes_every_consumer_table_of_one_run(ops, published):
    runs = published_runs(published)
    (run_id, as_of) = next(iter(runs))
    with duckdb.connect(str(ops.database), read_only=True) as con:
        built = con.execute("select distinct run_id, as_of_date from segment_members").fetchall()
    assert built == [(run_id, as_of)]
    with duckdb.connect(str(published), read_only=True) as con:
        described = con.execute(
            "select comment from duckdb_columns() where table_name = 'segment_members' and column_name = 'run_id'"
        ).fetchone()[0]
    assert "dbt invocation" in described  # the descriptions travel with the tables


def test_the_published_tables_are_exactly_the_consumer_tables(ops, published):
    """The consumer tables are the models with an enforced contract; the publication and the one-run check
    name them by hand (dbt needs literal refs), so they are checked against the contracts here."""
    manifest = json.loads((ops.workdir / "target" / "manifest.json").read_text())
    nodes = manifest["nodes"].values()
    contracted = {n["name"] for n in nodes if n["resource_type"] == "model" and n["config"]["contract"]["enforced"]}
    with duckdb.connect(str(published), read_only=True) as con:
        published_tables = set(con.execute("select tables from publication").fetchone()[0].split(", "))
    (check,) = [n for n in nodes if n["name"] == "assert_consumer_tables_come_from_one_run"]
    checked = {ref.split(".")[-1] for ref in check["depends_on"]["nodes"]}
    assert len(contracted) >= 9
    assert published_tables == contracted
    assert checked == contracted


def test_a_partial_build_leaves_a_mix_that_is_detected_and_not_published(ops, published, earlier_as_of):
    before = published_runs(published)
    earlier = {"as_of": earlier_as_of}
    ops.dbt("run", "--select", "segment_scores", vars=earlier)
    check = ops.dbt("test", "--select", "assert_consumer_tables_come_from_one_run", check=False, vars=earlier)
    assert check.returncode != 0  # the build database now mixes two runs, and the check says so
    attempt = ops.dbt("build", "--select", "publication", "warn_run_not_published", vars=earlier)
    assert "WARNING: this run was not published: the consumer tables do not all come from one run" in attempt.stdout
    assert published_runs(published) == before


def test_a_model_that_fails_keeps_its_last_table_and_leaves_nothing_half_built(ops):
    """A table is dropped and built again in one transaction (macros/materializations): when its query
    fails, the transaction rolls back to the table the last build left, and no temporary or backup copy of
    it remains. The view built beside it is replaced."""
    before = ops.query("select * from int_data_span")
    stalled = str((before["last_event_date"][0] + pd.Timedelta(days=30)).date())
    failed = ops.dbt("run", "--select", "int_data_span", "stg_events", check=False, vars={"as_of": stalled})
    assert failed.returncode != 0
    assert "days after the last event" in failed.stdout
    assert "OK created sql view model main.stg_events" in failed.stdout
    pd.testing.assert_frame_equal(ops.query("select * from int_data_span"), before)
    relations = ops.query("select table_name from information_schema.tables")["table_name"]
    assert {"int_data_span", "stg_events"} <= set(relations)
    assert not [name for name in relations if "__dbt_" in name]
    assert ops.query("select count(*) as n from stg_events")["n"][0] > 0


@pytest.mark.parametrize(
    "moment",
    [
        r"START sql (table|incremental) model main\.int_user_event_features",  # SQL models running
        r"START python (table|incremental) model main\.segment_models",  # the Python model running
        r"OK created sql table model main\.segment_scores",  # some consumer tables rebuilt, others not
    ],
)
def test_an_interrupted_build_keeps_the_published_run_and_says_so(ops, published, earlier_as_of, tmp_path, moment):
    before = published_runs(published)
    log = tmp_path / "interrupted.log"
    build = start_build(ops, log, vars={"as_of": earlier_as_of})
    wait_for(log, moment, build)
    build.send_signal(signal.SIGINT)
    assert build.wait(timeout=120) == 2
    output = log.read_text()
    assert "the build was stopped by SIGINT" in output
    assert "still holds the last complete run" in output
    assert "Traceback" not in output
    assert published_runs(published) == before


def test_a_second_build_gets_one_clear_line_and_readers_read_the_published_copy(
    ops, published, earlier_as_of, tmp_path
):
    before = published_runs(published)
    log = tmp_path / "first.log"
    first = start_build(ops, log, vars={"as_of": earlier_as_of})
    try:
        wait_for(log, r"START sql \w+ model main\.stg_events", first)
        second = ops.dbt("build", check=False, vars={"as_of": earlier_as_of})
        assert second.returncode != 0
        assert "is locked by process" in second.stdout
        assert "Wait for it to finish" in second.stdout
        assert "Traceback" not in second.stdout
        assert published_runs(published) == before  # reading while the build runs
    finally:
        first.send_signal(signal.SIGTERM)
        code = first.wait(timeout=120)
    output = log.read_text()
    assert code == 2  # not killed by the signal: dbt cancelled its queries and ended with a message
    assert "the build was stopped by SIGTERM" in output
    assert "Traceback" not in output
