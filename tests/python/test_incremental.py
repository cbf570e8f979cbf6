"""Nights are incremental: the staged events and the daily event rollup re-read only their newest days. A run
of incremental nights must give exactly the tables a full refresh of the same data gives, and input rows
that arrive for a day a night no longer re-reads stop the build instead of being left out."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from conftest import DbtProject

from predseg.simulator import SimulationConfig, simulate

# run-identifying columns: they name the dbt invocation (its files, its start), so two builds always differ there
RUN_COLUMNS = {"run_id", "published_at", "message", "published_path", "built_at"}


PLAIN = pa.schema(
    [("user_id", pa.string()), ("event_name", pa.string()), ("event_time", pa.timestamp("us")), ("value", pa.float64())]
)


def _day(events: pa.Table, start: dt.date, end: dt.date) -> pa.Table:
    """The events in [start, end), with plain (not dictionary) text columns."""
    begin = pa.scalar(dt.datetime.combine(start, dt.time()), pa.timestamp("us"))
    stop = pa.scalar(dt.datetime.combine(end, dt.time()), pa.timestamp("us"))
    chosen = events.filter(pc.and_(pc.greater_equal(events["event_time"], begin), pc.less(events["event_time"], stop)))
    return chosen.cast(PLAIN)


def _tables(database) -> dict[str, list[str]]:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'main' and not internal "
            "and table_name in (select table_name from duckdb_tables() where schema_name = 'main') "
            "order by table_name, column_index"
        ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def _differences(nightly, refreshed) -> dict[str, tuple[int, int]]:
    """Per table of the nights' database whose rows differ from the full refresh's (run columns aside): the
    rows only the nights have, and those only the refresh has."""
    differences = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{nightly}' as nightly (read_only)")
        con.execute(f"attach '{refreshed}' as refreshed (read_only)")
        for table, columns in _tables(nightly).items():
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_COLUMNS)
            counts = con.execute(
                f"""
                select
                    (select count(*) from (select {kept} from nightly.main."{table}"
                        except all select {kept} from refreshed.main."{table}")),
                    (select count(*) from (select {kept} from refreshed.main."{table}"
                        except all select {kept} from nightly.main."{table}"))
                """
            ).fetchall()[0]
            if counts != (0, 0):
                differences[table] = counts
    return differences


def test_incremental_nights_equal_a_full_refresh(tmp_path):
    cfg = SimulationConfig(users=1500, days=50, seed=5)
    result = simulate(cfg)
    events = result["events"]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    pq.write_table(
        pa.Table.from_pandas(result["user_attributes"], preserve_index=False), tmp_path / "attributes.parquet"
    )
    last = cfg.start + dt.timedelta(days=cfg.days - 1)
    before = last - dt.timedelta(days=1)
    pq.write_table(_day(events, cfg.start, before), inputs / "base.parquet")
    # the night of the day before last, then the last day's, which also brings a late event for the day
    # before that (within late_event_days): another app_open of a user active that day
    earlier = before - dt.timedelta(days=1)
    first = _day(events, earlier, before).slice(0, 1).cast(PLAIN)

    def app_open(at: dt.datetime | None) -> pa.Table:
        """One more app_open of that user, at ``at`` (None: a row without a time)."""
        return pa.table(
            {
                "user_id": first["user_id"],
                "event_name": pa.array(["app_open"]),
                "event_time": pa.array([at], PLAIN.field("event_time").type),
                "value": pa.array([None], pa.float64()),
            },
            schema=PLAIN,
        )

    late = app_open(dt.datetime.combine(earlier, dt.time(23, 59, 58)))
    # a row without a time: no day, so every night judges it again (rejected, as a full refresh rejects it)
    timeless = app_open(None)
    # and a second copy of an event of that day: a duplicate that arrives late, rejected as a full refresh rejects it
    copied = _day(events, earlier, before).slice(1, 1)
    nights = [
        pa.concat_tables([_day(events, before, last), timeless]),
        pa.concat_tables([_day(events, last, last + dt.timedelta(days=1)), late, copied]),
    ]

    incremental = DbtProject(
        workdir=tmp_path / "incremental",
        vars={
            "demo": True,
            "events_path": str(inputs / "*.parquet"),
            "user_attributes_path": str(tmp_path / "attributes.parquet"),
            "training_panel_users": 1000,
            # shorter than the data, so that the nights' local hours drop the days that left the window
            "best_time_lookback_days": 30,
            # every night a refit day: the training side rebuilt as tables (the default keeps it between refit
            # days, which the test of refit days below covers)
            "refit_every_days": 1,
        },
    )
    incremental.build_models()
    # the most active user moves to another time zone before the last night: their local hours of every
    # stored day are converted again, and the rows of the old zone deleted
    attributes = result["user_attributes"].copy()
    mover = events["user_id"].to_pandas().value_counts().index[0]
    old_zone = attributes.loc[attributes["user_id"] == mover, "timezone"].iloc[0]
    new_zone = "Asia/Kolkata" if old_zone != "Asia/Kolkata" else "America/Los_Angeles"
    for number, night in enumerate(nights):
        pq.write_table(night, inputs / f"night-{number}.parquet")
        if number == len(nights) - 1:
            attributes.loc[attributes["user_id"] == mover, "timezone"] = new_zone
            pq.write_table(pa.Table.from_pandas(attributes, preserve_index=False), tmp_path / "attributes.parquet")
        incremental.build_models()
        # the night replaced the staged events', the rollup's and the local hours' newest days, it did not
        # rebuild the tables
        for model in (
            "staging/base/base_events",
            "intermediate/int_user_event_days",
            "intermediate/int_user_local_hours",
        ):
            executed = (incremental.workdir / f"target/run/predseg/models/{model}.sql").read_text()
            assert executed.lstrip().startswith("delete from"), (model, executed[:300])
    zones = incremental.query(f"select distinct timezone from int_user_local_hours where user_id = '{mover}'")
    assert zones["timezone"].tolist() == [new_zone]

    # no night leaves its intermediate rows behind (dbt-duckdb keeps a Python model's as a table)
    leftovers = incremental.query("select table_name from duckdb_tables() where table_name like '%dbt_tmp%'")
    assert leftovers.empty, leftovers["table_name"].tolist()

    refreshed = DbtProject(workdir=tmp_path / "refreshed", vars=incremental.vars)
    refreshed.workdir.mkdir()
    shutil.copy(incremental.database, refreshed.database)
    refreshed.build_models("--full-refresh")

    tables = _tables(incremental.database)
    assert "int_user_event_days" in tables and "segment_members" in tables
    rollup = incremental.query("select count(*) as n, max(event_date) as last_day from int_user_event_days")
    assert rollup["last_day"].iloc[0].date() == last  # the nights did add their days
    assert _differences(incremental.database, refreshed.database) == {}
    missing = incremental.query(
        "select count(*) as n from stg_events_rejected where reject_reason = 'missing_event_time'"
    )
    assert missing["n"][0] == 1  # the row without a time, judged again by the last night
    late_copy = incremental.query(
        f"select count(*) as n from stg_events_rejected where reject_reason = 'duplicate' "
        f"and user_id = '{copied['user_id'][0].as_py()}' and event_time = '{copied['event_time'][0].as_py()}'"
    )
    same = pc.and_(
        pc.and_(
            pc.equal(events["user_id"], copied["user_id"][0]), pc.equal(events["event_name"], copied["event_name"][0])
        ),
        pc.equal(events["event_time"], copied["event_time"][0]),
    )
    # the input's copies of it, the late one included, less the one staged as the event
    assert late_copy["n"][0] == len(events.filter(same)), late_copy
    staged = incremental.query("select count(*) as n from base_events where copies > 1")
    assert staged["n"][0] > 0  # the simulator's duplicates were staged once each, with their copies

    # each day of the day-replacing tables holds the rows of the run that wrote it: the last night's
    # newest days, the first build's older ones
    for table in ("base_events", "int_user_event_days"):
        days = incremental.query(
            f"""
            select event_date, count(distinct built_at) as runs, max(built_at) as built_at
            from {table} where event_date is not null group by 1 order by 1
            """
        )
        assert (days["runs"] == 1).all(), (table, days[days["runs"] > 1])
        assert days["built_at"].nunique() == 3, (table, days.groupby("built_at")["event_date"].agg(["min", "max"]))
        newest = days["built_at"] == days["built_at"].max()
        # late_event_days (3) before the newest day stored when the night began
        assert days.loc[newest, "event_date"].min().date() == before - dt.timedelta(days=3), days[newest]
    _key_tests_check_each_run(incremental, tmp_path / "mutated")

    # an event for a day older than the nights re-read (late_event_days = 3) stops the next night
    too_late = late.set_column(
        2, "event_time", pa.array([dt.datetime.combine(earlier - dt.timedelta(days=5), dt.time(9))])
    )
    pq.write_table(too_late, inputs / "night-late.parquet")
    result = incremental.dbt("build", "--resource-type", "seed", "--resource-type", "model", check=False)
    assert result.returncode != 0
    assert "holds other rows than earlier nights staged on 1 day(s)" in result.stdout, result.stdout[-3000:]
    assert "--full-refresh" in result.stdout
    before = incremental.query("select count(*) as n from stg_events")["n"][0]
    incremental.build_models("--full-refresh")
    assert incremental.query("select count(*) as n from stg_events")["n"][0] == before + 1


def test_nights_after_the_activity_settings_change_convert_again_what_they_move(tmp_path):
    """A night's local hours after `best_time_events` changed (every day of the window converted again, the
    other list's rows deleted), then after `best_time_lookback_days` grew (the days the window gained
    converted), equal a full refresh's, and so do the hour counts read from them."""
    cfg = SimulationConfig(users=400, days=40, seed=3)
    result = simulate(cfg)
    pq.write_table(result["events"].cast(PLAIN), tmp_path / "events.parquet")
    pq.write_table(
        pa.Table.from_pandas(result["user_attributes"], preserve_index=False), tmp_path / "attributes.parquet"
    )
    best_time = "+int_user_hour_activity"
    nights = DbtProject(
        workdir=tmp_path / "nights",
        vars={
            "demo": True,
            "events_path": str(tmp_path / "events.parquet"),
            "user_attributes_path": str(tmp_path / "attributes.parquet"),
            "best_time_lookback_days": 14,
        },
    )
    nights.dbt("run", "--select", best_time)
    stored = "select activity_events, min(event_date) as first_day from int_user_local_hours group by 1"
    first_day = nights.query(stored)["first_day"].iloc[0]
    changes = [{"best_time_events": ["app_open"]}, {"best_time_events": ["app_open"], "best_time_lookback_days": 21}]
    for number, change in enumerate(changes):
        nights.dbt("run", "--select", best_time, vars=change)
        executed = (nights.workdir / "target/run/predseg/models/intermediate/int_user_local_hours.sql").read_text()
        assert executed.lstrip().startswith("delete from"), executed[:300]  # a night, not a rebuild
        kept = nights.query(stored)
        assert kept["activity_events"].tolist() == ["app_open"]  # the other list's rows are gone
        assert (first_day - kept["first_day"].iloc[0]).days == 7 * number  # the window grew by a week
        refreshed = DbtProject(workdir=tmp_path / f"refreshed-{number}", vars=nights.vars)
        refreshed.workdir.mkdir()
        shutil.copy(nights.database, refreshed.database)
        refresh = ("--select", "int_user_local_hours", "int_user_hour_activity", "--full-refresh")
        refreshed.dbt("run", *refresh, vars=change)
        assert _differences(nights.database, refreshed.database) == {}


def _key_tests_check_each_run(built: DbtProject, workdir) -> None:
    """The key tests of the staged events and the rollup check the rows the latest run wrote, and every row
    with data_test_full_history; either way a day holding rows of two runs fails. Shown by breaking a copy
    of the nights' database: a duplicate day row written by the latest run, one written by an older run,
    and an older day's event staged again by another run."""
    mutated = DbtProject(workdir=workdir, vars=built.vars)
    mutated.workdir.mkdir()
    shutil.copy(built.database, mutated.database)
    with duckdb.connect(str(mutated.database)) as con:
        con.execute(
            """
            insert into int_user_event_days
            (select * from int_user_event_days where built_at = (select max(built_at) from int_user_event_days)
                limit 1)
            union all
            (select * from int_user_event_days where built_at = (select min(built_at) from int_user_event_days)
                limit 1);
            insert into base_events
            select * replace (built_at + interval 1 second as built_at)  -- another run's
            from base_events
            where reject_reason is null and built_at = (select min(built_at) from base_events)
            limit 1
            """
        )

    def failures(full_history: bool) -> dict[str, int]:
        result = mutated.dbt(
            "test",
            "--select",
            "int_user_event_days",
            "stg_events",
            "--exclude-resource-type",
            "unit_test",
            vars={"data_test_full_history": full_history},
            check=False,
        )
        found = re.findall(
            r"Failure in test unique_combination_of_columns_per_run_(\w+) .*\n.*Got (\d+) result", result.stdout
        )
        models = ("int_user_event_days", "stg_events")
        return {model: int(count) for name, count in found for model in models if name.startswith(model)}

    # by default: the latest run's duplicate (the older run's is not read again) and the mixed day
    assert failures(False) == {"int_user_event_days": 1, "stg_events": 1}
    # the full history: both duplicates, and the mixed day with its duplicate key
    assert failures(True) == {"int_user_event_days": 2, "stg_events": 2}


def test_nights_between_refit_days_keep_the_training_work_and_equal_a_full_refresh(tmp_path):
    """With refit_every_days 7 (the default) a first build is a refit day and the six nights after it train
    on its cutoffs: such a night keeps the features of the training windows and the fits, a night whose
    events before the refit day changed (a late event) computes them again, and either way the tables are a
    full refresh's, which keeps the log of refit days. The seventh night refits on its own cutoff."""
    cfg = SimulationConfig(users=1200, days=56, seed=11)
    result = simulate(cfg)
    events = result["events"]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    pq.write_table(
        pa.Table.from_pandas(result["user_attributes"], preserve_index=False), tmp_path / "attributes.parquet"
    )
    last = cfg.start + dt.timedelta(days=cfg.days - 1)
    # the first build's scoring cutoff, with seven more days of data after it
    refit_day = last - dt.timedelta(days=6)
    next_day = refit_day + dt.timedelta(days=1)
    pq.write_table(_day(events, cfg.start, refit_day), inputs / "base.parquet")
    project = DbtProject(
        workdir=tmp_path / "nights",
        vars={
            "demo": True,
            "events_path": str(inputs / "*.parquet"),
            "user_attributes_path": str(tmp_path / "attributes.parquet"),
            "training_panel_users": 800,
        },
    )
    built = project.build_models()  # as_of: the day before the refit day, whose cutoff is the refit day
    assert "kept the fits" not in built.stdout

    def night_sql(model: str = "int_user_event_features", kind: str = "run") -> str:
        return (project.workdir / f"target/{kind}/predseg/models/intermediate/{model}.sql").read_text()

    training_side = [
        "int_segment_eligibility",
        "int_segment_labels",
        "int_segment_training_rows",
        "int_segment_baselines",
    ]
    segments = sorted(project.query("select segment_name from int_segment_definitions")["segment_name"])

    def training_keys() -> set[str]:
        keys = project.query("select distinct training_data_key from int_user_event_features")
        return set(keys["training_data_key"].dropna())

    first_keys = training_keys()
    assert len(first_keys) == 1
    refit_days = project.query("select refit_anchor_at, days_after_refit, refit_every_days from int_refit_days")
    assert refit_days.to_dict("records") == [
        {"refit_anchor_at": dt.datetime.combine(refit_day, dt.time()), "days_after_refit": 0, "refit_every_days": 7}
    ]

    # the refit day's events: nothing before the refit day changed, so every training window is kept
    pq.write_table(_day(events, refit_day, next_day), inputs / "night-0.parquet")
    kept_night = project.build_models()
    for model in ("int_user_event_features", "int_user_features"):
        executed = night_sql(model)
        assert executed.lstrip().startswith("delete from"), (model, executed[:400])
        # the delete names the windows it drops, the last scoring cutoff's, not the kept training ones
        deleted = executed.split(";")[0]
        named = set(re.findall(r"cutoff_at = cast\('([0-9-]+) 00:00:00' as timestamp\)", deleted))
        assert named == {refit_day.isoformat()}, (model, deleted)
    assert "kept the fits of" in kept_night.stdout, kept_night.stdout[-2000:]
    assert training_keys() == first_keys
    # the scoring cutoff's windows alone, read for every user at once (no split by the training panel)
    assert "true as is_panel_user" not in night_sql(kind="compiled")
    # the eligibility (training rows), labels, training rows and baselines of every segment kept
    kept_list = "segment_name in (" + ", ".join(f"'{name}'" for name in segments) + ")"
    for model in training_side:
        assert kept_list in night_sql(model), (model, night_sql(model)[:400])
    # the kept night's tables are a full refresh's
    kept_copy = DbtProject(workdir=tmp_path / "kept_refreshed", vars=project.vars)
    kept_copy.workdir.mkdir()
    shutil.copy(project.database, kept_copy.database)
    kept_copy.build_models("--full-refresh")
    assert _differences(project.database, kept_copy.database) == {}

    # a changed attribute changes what the user-level training rows are a function of, not the training data
    def state() -> tuple[str, str]:
        row = project.query("select max(training_data_key) as d, max(training_rows_key) as r from int_training_state")
        return row["d"][0], row["r"][0]

    before = state()
    attributes = result["user_attributes"].copy()
    attributes.loc[attributes.index[0], "plan"] = "changed_plan"
    pq.write_table(pa.Table.from_pandas(attributes, preserve_index=False), tmp_path / "attributes.parquet")
    project.dbt("run", "--select", "+stg_user_attributes", "int_training_state")
    assert state()[0] == before[0] and state()[1] != before[1]

    # the next day, with a late event for the day before the refit day (within late_event_days) and the
    # changed attribute: the training rows and the fits are computed again. The night also reads one
    # categorical attribute fewer, so the user-level features lose a column
    earlier = refit_day - dt.timedelta(days=1)
    one = _day(events, earlier, refit_day).slice(0, 1)
    late = one.set_column(2, "event_time", pa.array([dt.datetime.combine(earlier, dt.time(23, 59, 58))]))
    pq.write_table(
        pa.concat_tables([_day(events, next_day, next_day + dt.timedelta(days=1)), late.cast(PLAIN)]),
        inputs / "night-1.parquet",
    )
    fewer_attributes = {"categorical_attributes": ["plan"]}
    assert "attribute_device" in project.query("select * from int_user_features limit 0").columns
    changed_night = project.build_models(vars=fewer_attributes)
    assert "attribute_device" not in project.query("select * from int_user_features limit 0").columns
    assert "cutoff_at = cast(" not in night_sql()
    assert "cutoff_at = cast(" not in night_sql("int_user_features")
    assert "true as is_panel_user" in night_sql(kind="compiled")
    for model in training_side:
        assert "segment_name in (" not in night_sql(model), model
    assert "kept the fits" not in changed_night.stdout
    assert training_keys() != first_keys
    assert project.query("select max(as_of_date) as d from int_data_span")["d"][0].date() == next_day

    refreshed = DbtProject(workdir=tmp_path / "refreshed", vars={**project.vars, **fewer_attributes})
    refreshed.workdir.mkdir()
    shutil.copy(project.database, refreshed.database)
    refreshed.build_models("--full-refresh")
    assert {
        "int_training_state",
        "int_user_event_features",
        "int_user_features",
        "segment_models",
        *training_side,
    } <= set(_tables(project.database))
    assert _differences(project.database, refreshed.database) == {}

    # the rest of the week at once: the night whose scoring cutoff is 7 days after the refit day refits on it
    pq.write_table(
        _day(events, next_day + dt.timedelta(days=1), last + dt.timedelta(days=1)), inputs / "night-2.parquet"
    )
    refit_night = project.build_models(vars=fewer_attributes)
    assert "kept the fits" not in refit_night.stdout
    assert "true as is_panel_user" in night_sql(kind="compiled")
    logged = project.query("select * from int_refit_days order by scoring_cutoff_at")
    cutoffs = [refit_day, next_day, next_day + dt.timedelta(days=1), last + dt.timedelta(days=1)]
    assert [d.date() for d in logged["scoring_cutoff_at"]] == cutoffs
    assert [d.date() for d in logged["refit_anchor_at"]] == [refit_day] * 3 + [last + dt.timedelta(days=1)]
    assert logged["days_after_refit"].tolist() == [0, 1, 2, 0]
