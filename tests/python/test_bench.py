"""The benchmark's reading of dbt's run results: the critical path it prints is the chain of nodes that ended
the run, each after the parent that ended last, with the waits between them. Its retail log: parts of
customers written to one CSV file, each customer's id once. Its long ids: one UUID-shaped id per
simulated user, in the events and the attributes alike. The whole build set against the reference by
the medians of both. Its --vars: over the bench's own, or a clear stop before anything is simulated. And
its night: the models, then the data tests a scheduled night runs."""

from __future__ import annotations

import argparse
import datetime as dt

import pandas as pd
import pyarrow.parquet as pq
import pytest

import predseg.bench
from predseg.bench import critical_path, generate_retail

BEGAN = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def result(uid: str, start: float, end: float, compiled_at: float | None = None) -> dict:
    """A run result whose compile step starts at ``compiled_at`` (default ``start``) and whose execution
    runs from ``start`` to ``end`` (seconds after BEGAN), in run_results.json's timestamp format."""

    def stamp(seconds: float) -> str:
        return (BEGAN + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    compiled = start if compiled_at is None else compiled_at
    return {
        "unique_id": uid,
        "timing": [
            {"name": "compile", "started_at": stamp(compiled), "completed_at": stamp(start)},
            {"name": "execute", "started_at": stamp(start), "completed_at": stamp(end)},
        ],
    }


def test_the_path_follows_the_parent_that_ended_last_and_measures_the_waits():
    results = [
        result("model.p.a", 2.5, 5.0, compiled_at=2.0),
        result("model.p.b", 6.0, 9.0),
        result("model.p.c", 5.5, 7.0),
        result("model.p.d", 9.5, 12.0),
        result("model.p.e", 2.0, 4.0),  # a parallel branch that ended early
        {"unique_id": "test.p.not_null_d", "timing": []},  # skipped: no execution
    ]
    parents = {
        "model.p.a": ["source.p.events.raw"],  # a source: not a node of the run
        "model.p.b": ["model.p.a"],
        "model.p.c": ["model.p.a", "model.p.e"],
        "model.p.d": ["model.p.c", "model.p.b"],
    }
    path = critical_path(results, parents, BEGAN)
    assert [name for name, *_ in path] == ["a", "b", "d"]
    assert path[0] == ("a", 2.0, 5.0, 2.0)  # from its compile step; its wait is dbt's start-up
    assert path[1] == ("b", 6.0, 9.0, 1.0)
    assert path[2] == ("d", 9.5, 12.0, 0.5)


def test_no_node_run_gives_an_empty_path():
    assert critical_path([{"unique_id": "test.p.t", "timing": []}], {}, BEGAN) == []


def test_the_retail_log_is_one_csv_whose_parts_keep_their_customers_apart(tmp_path, monkeypatch):
    monkeypatch.setattr(predseg.bench, "RETAIL_PART", 50)
    args = argparse.Namespace(retail_customers=120, days=60, seed=3, start=None)
    steps = []
    total, new, last_day = generate_retail(args, tmp_path, steps.append)
    events = pd.read_csv(tmp_path / "events.csv", dtype=str)
    assert list(events.columns) == ["user_id", "event_name", "event_time", "value"]  # one header
    assert len(events) == total and new == 0
    assert len(steps) == 3  # parts of 50, 50 and 20 customers
    # each part's ids, 1000 + its own numbering, shifted by the customers before it: none shared
    ids = events["user_id"].astype(int)
    assert ids.min() >= 1000 and ids.max() < 1000 + 120
    assert events.groupby("user_id")["event_time"].min().index.size > 100  # most of the 120 bought
    assert events["event_time"].max() <= str(last_day) and events["event_time"].str.len().eq(10).all()


class _Stop(Exception):
    pass


def test_vars_given_on_the_command_line_reach_the_build_over_the_bench_own(tmp_path, monkeypatch):
    seen = {}

    def fake_run_dbt(args, workdir, database, dbt_vars, log_name, progress, extra=()):
        seen.update(dbt_vars)
        raise _Stop

    monkeypatch.setattr(predseg.bench, "generate", lambda args, data, progress: (10, 0, dt.date(2026, 1, 1)))
    monkeypatch.setattr(predseg.bench, "run_dbt", fake_run_dbt)
    with pytest.raises(_Stop):
        predseg.bench.run(["--workdir", str(tmp_path), "--vars", "{training_panel_users: 25000, demo: false}"])
    assert seen["training_panel_users"] == 25000
    assert seen["demo"] is False  # the command line's value wins over the bench's own
    assert seen["events_path"].endswith("*.parquet")  # the bench's others stay


def test_a_workdir_used_before_gets_a_fresh_database_for_the_first_build_too(tmp_path, monkeypatch):
    """The last run's database in the same --workdir would make the full build an incremental night."""
    (tmp_path / "bench.duckdb").write_text("the last run's")
    (tmp_path / "bench.duckdb.wal").write_text("its log")
    (tmp_path / "bench.duckdb.tmp").mkdir()  # its spill directory
    present = []

    def fake_run_dbt(args, workdir, database, dbt_vars, log_name, progress, extra=()):
        present.extend(sorted(path.name for path in workdir.glob("bench*.duckdb*")))
        raise _Stop

    monkeypatch.setattr(predseg.bench, "generate", lambda args, data, progress: (10, 0, dt.date(2026, 1, 1)))
    monkeypatch.setattr(predseg.bench, "run_dbt", fake_run_dbt)
    with pytest.raises(_Stop):
        predseg.bench.run(["--workdir", str(tmp_path)])
    assert present == []


@pytest.mark.parametrize("text", ["[1, 2]", "25000", "{a: [", ""])
def test_vars_that_are_not_a_mapping_stop_the_bench_before_it_simulates(text, monkeypatch, capsys):
    monkeypatch.setattr(predseg.bench, "generate", lambda *a: pytest.fail("simulated despite bad --vars"))
    with pytest.raises(SystemExit) as stopped:
        predseg.bench.run(["--vars", text])
    assert stopped.value.code == 2
    assert "--vars" in capsys.readouterr().err


@pytest.mark.parametrize("with_tests", [False, True])
def test_the_night_is_timed_with_its_data_tests_as_a_scheduled_night_runs_them(
    tmp_path, monkeypatch, capsys, with_tests
):
    calls = []

    def fake_run_dbt(args, workdir, database, dbt_vars, log_name, progress, extra=()):
        calls.append((args.command, log_name, extra))
        (workdir / "target").mkdir(exist_ok=True)
        return predseg.bench.DbtRun(12.0 if log_name == "dbt.out" else 3.0, 100.0, [], 1.0, BEGAN, {})

    monkeypatch.setattr(predseg.bench, "generate", lambda args, data, progress: (10, 1, dt.date(2026, 1, 1)))
    monkeypatch.setattr(predseg.bench, "run_dbt", fake_run_dbt)
    predseg.bench.run(
        ["--workdir", str(tmp_path), "--night", "--no-reference", *(["--with-tests"] if with_tests else [])]
    )
    printed = capsys.readouterr().out
    if with_tests:  # the builds ran the tests already
        assert [c[:2] for c in calls] == [("build", "dbt.out"), ("build", "night.out")]
        assert "data tests" not in printed
    else:
        assert calls[-1] == ("test", "night_tests.out", ("--exclude-resource-type", "unit_test"))
        assert "the night's data tests (dbt test, after the night's models): wall 3.0 s" in printed
        assert "with the models 6.0 s" in printed


def test_long_ids_give_each_user_one_uuid_shaped_id_in_the_events_and_the_attributes(tmp_path):
    args = argparse.Namespace(chunks=1, users=40, days=10, seed=5, start=None, night=False, long_ids=True)
    total, new, _ = predseg.bench.generate(args, tmp_path, lambda step: None)
    short = argparse.Namespace(**{**vars(args), "long_ids": False})
    predseg.bench.generate(short, tmp_path / "short", lambda step: None)
    events = pd.read_parquet(tmp_path / "events")
    attributes = pd.read_parquet(tmp_path / "user_attributes")
    short_events = pd.read_parquet(tmp_path / "short" / "events")
    assert len(events) == total == len(short_events) and new == 0
    assert events["user_id"].str.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}").all()
    # one id per simulated user, the same one in both files, the rows otherwise unchanged
    assert events["user_id"].nunique() == short_events["user_id"].nunique()
    assert set(events["user_id"]) <= set(attributes["user_id"])
    assert attributes["user_id"].nunique() == len(attributes)
    assert sorted(events.groupby("user_id").size()) == sorted(short_events.groupby("user_id").size())
    assert events.drop(columns="user_id").equals(short_events.drop(columns="user_id"))
    schema = pq.read_schema(next((tmp_path / "events").glob("*.parquet")))
    assert schema.equals(pq.read_schema(next((tmp_path / "short" / "events").glob("*.parquet"))))


def test_long_ids_with_a_retail_log_stop_before_anything_is_simulated(capsys):
    with pytest.raises(SystemExit):
        predseg.bench.run(["--retail-customers", "10", "--long-ids"])
    assert "--long-ids" in capsys.readouterr().err


def test_the_build_is_set_against_the_reference_by_the_medians_of_both():
    line = predseg.bench.build_against_reference([58.2, 53.7, 48.3], [6.07, 6.94, 6.11])
    assert "53.7 s (median) is 8.8x the reference's 6.11 s" in line  # 53.7 / 6.11, not a mean or a last run
