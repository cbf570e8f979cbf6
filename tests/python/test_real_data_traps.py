"""Real data without traps: what a new user pointing the project at their own file meets.

The README's own command on a retail-like log (date-only purchases, one event name, sparse buyers, 15
months); the as_of default and a partly loaded day; as_of outside the data; a stray 1970 event; epoch
times and times in another format; an orders file without event names; attribute rows with bad fields,
several rows per user and float ids."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtProject, project_on, simulate_to

from predseg.retail import RetailConfig, simulate_retail


def readme_own_events_command() -> str:
    """The first shell block of the README's "Use your own events" section, as written there."""
    readme = (PROJECT_DIR / "README.md").read_text()
    section = readme[readme.index("## Use your own events") :]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def copy_of_the_project(destination: Path) -> Path:
    """The project's files (tracked and new, as git sees them) without data/, target/ or .venv."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        source = PROJECT_DIR / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    (destination / ".venv").symlink_to(PROJECT_DIR / ".venv")
    return destination


@pytest.fixture(scope="module")
def retail_csv(tmp_path_factory) -> Path:
    events, _ = simulate_retail(RetailConfig(customers=3000, days=450, seed=3))
    path = tmp_path_factory.mktemp("retail") / "events.csv"
    events.to_csv(path, index=False)
    return path


def test_the_readme_command_on_a_retail_log_reads_no_demo_file_and_trains(retail_csv, tmp_path):
    project = copy_of_the_project(tmp_path / "project")
    assert not (project / "data").exists()  # so any read of a demo file would fail the build
    command = readme_own_events_command()
    assert "/data/events.csv" in command
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("PREDSEG_DUCKDB_PATH", None)
    result = subprocess.run(
        ["bash", "-c", command.replace("/data/events.csv", str(retail_csv))],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    assert not (project / "data").exists()
    with duckdb.connect(str(project / "target" / "predseg.duckdb"), read_only=True) as con:
        report = con.execute("select * from segment_model_report").df().set_index("segment_name")
        campaigns = con.execute("select count(*) from stg_campaigns").fetchone()[0]
        span = con.execute("select * from int_data_span").df().iloc[0]
        best_hours = con.execute("select count(*) from user_best_send_hours").fetchone()[0]
        app_hours = con.execute("select count(*) from app_best_send_hours").fetchone()[0]
        tenure = (
            con.execute(
                """
            select c.cutoff_role, max(f.tenure_days) as max_tenure, max(c.history_days) as history_days
            from int_user_features as f
            inner join (select distinct cutoff_at, past_days, cutoff_role, history_days from int_cutoffs) as c
                using (cutoff_at, past_days)
            group by 1
            """
            )
            .df()
            .set_index("cutoff_role")
        )
    print(report[["status", "status_message", "training_rows", "validation_auc", "audience_size"]])
    assert set(report.index) == {"will_buy_90d", "lapsing_customers_90d"}
    for segment, row in report.iterrows():
        assert row.status in ("ok", "precision_unreachable"), (segment, row.status_message)
        assert row.training_cutoffs >= 3
        assert row.validation_auc > 0.7, segment
    # the churn question covers every customer, not only recent buyers
    assert report.loc["lapsing_customers_90d", "eligible_users"] == report.loc["will_buy_90d", "eligible_users"]
    assert campaigns == 0  # the demo's campaigns stay out
    assert str(span.as_of_date)[:10] == "2025-03-25"  # the last day with events: historical data
    # date-only purchases carry no time of day: no best send hours at midnight, and a warning that says so
    assert best_hours == 0 and app_hours == 0
    assert "No event carries a time of day (every purchase at 00:00:00 UTC)" in result.stdout
    # an ageing cohort: tenure at scoring stays within what training saw (it would be ~125 days more)
    assert tenure.loc["scoring", "max_tenure"] <= tenure.loc["training", "max_tenure"]
    assert tenure.loc["training", "max_tenure"] == tenure.loc["training", "history_days"]


def cut_at(events: pd.DataFrame, moment: pd.Timestamp) -> pd.DataFrame:
    return events[events["event_time"] < moment].reset_index(drop=True)


@pytest.fixture(scope="module")
def events_until_yesterday(tmp_path_factory) -> pd.DataFrame:
    """2,000 simulated users over the 100 days before today (by the clock), cut at today's midnight."""
    today = dt.datetime.now(dt.UTC).date()
    sim = simulate_to(tmp_path_factory.mktemp("recent_sim"), users=2000, days=100, seed=5)
    events = pd.read_parquet(sim / "events.parquet")
    shift = pd.Timestamp(today) - pd.Timestamp(events["event_time"].max().date() + dt.timedelta(days=1))
    events["event_time"] = events["event_time"] + shift
    return cut_at(events, pd.Timestamp(today))


COMPARED_TABLES = {
    "int_cutoffs": "segment_name, cutoff_at",
    "int_training_panel": "user_id",
    "int_user_event_features": "cutoff_at, past_days, user_id, event_name",
    "int_user_features": "cutoff_at, past_days, user_id",
    "segment_models": "segment_name, model_role, term_order",
    "segment_scores": "segment_name, user_id",
    "segment_members": "segment_name, user_id",
    "segment_model_report": "segment_name",
    "user_best_send_hours": "user_id, local_weekday",
    "app_best_send_hours": "local_weekday",
}


def test_a_partly_loaded_today_changes_nothing(events_until_yesterday, tmp_path):
    now = pd.Timestamp(dt.datetime.now(dt.UTC).replace(tzinfo=None))
    midnight = now.normalize()
    # a few rows from today: half by known users, half by users first seen today
    late = events_until_yesterday.tail(60).copy()
    late["event_time"] = midnight + (now - midnight) / 2
    late["user_id"] = [u if i % 2 else f"first_seen_today_{i}" for i, u in enumerate(late["user_id"])]
    users = events_until_yesterday["user_id"].nunique()
    builds = {}
    for name, frame in {
        "complete": events_until_yesterday,
        "with_today": pd.concat([events_until_yesterday, late]),
    }.items():
        workdir = tmp_path / name
        workdir.mkdir()
        frame.to_parquet(workdir / "events.parquet", index=False)
        # a training panel smaller than the users: today's new users must not take places in it
        builds[name] = DbtProject(
            workdir=workdir,
            vars={"events_path": str(workdir / "events.parquet"), "training_panel_users": users * 3 // 4},
        )
        result = builds[name].build_selected(*("+" + table for table in COMPARED_TABLES))  # with their tests
        assert "WARNING: the as_of day" not in result.stdout, result.stdout[-3000:]
    yesterday = (midnight - pd.Timedelta(days=1)).date()
    for build in builds.values():
        assert build.query("select as_of_date from int_data_span")["as_of_date"][0].date() == yesterday
    assert builds["with_today"].query("select count(*) as n from stg_events")["n"][0] > len(
        builds["complete"].query("select * from stg_events")
    )
    for table, order in COMPARED_TABLES.items():
        expected = builds["complete"].table(table, order)
        actual = builds["with_today"].table(table, order)
        assert len(expected) > 0, table
        pd.testing.assert_frame_equal(expected, actual, check_exact=True, obj=table)


# Tables that hold the input itself (every staged event, the daily counts and the data's last event), and the
# publication's own record: the only ones events after as_of may change.
INPUT_TABLES = {
    "base_events",
    "stg_events",
    "stg_events_rejected",
    "int_daily_event_counts",
    "int_user_event_days",
    "int_user_daily_events",
    "int_data_span",
    "publication",
}
RUN_COLUMNS = {"run_id", "published_run_id", "built_at", "published_at", "published_path"}


def test_events_after_as_of_change_nothing_a_build_writes(small_sim, tmp_path):
    """What a new user does to check the product: set as_of inside a file that goes on, then see what
    happened after it. Every model's table but the input's own must be what the file cut at as_of gives."""
    events = pd.read_parquet(small_sim / "events.parquet")
    as_of = events["event_time"].max().normalize() - pd.Timedelta(days=20)
    cut = tmp_path / "cut.parquet"
    cut_at(events, as_of + pd.Timedelta(days=1)).to_parquet(cut, index=False)
    builds = {}
    for name, path in {"whole_file": small_sim / "events.parquet", "cut_at_as_of": cut}.items():
        builds[name] = project_on(small_sim, tmp_path / name, events_path=str(path), as_of=str(as_of.date()))
        builds[name].build_models()
    whole, cut_build = builds["whole_file"], builds["cut_at_as_of"]
    assert (
        whole.query("select count(*) as n from stg_events")["n"][0]
        > cut_build.query("select count(*) as n from stg_events")["n"][0]
    )
    with duckdb.connect(str(whole.database), read_only=True) as con:
        con.execute(f"attach '{cut_build.database}' as cut (read_only)")
        tables = con.execute(
            "select table_name from information_schema.tables where table_catalog = current_database() "
            "and table_schema = 'main' order by 1"
        ).fetchall()
        compared = [table for (table,) in tables if table not in INPUT_TABLES]
        assert {"segment_members", "segment_scores", "user_best_send_hours", "user_personas"} <= set(compared)
        for table in compared:
            columns = [
                column
                for (column,) in con.execute(
                    "select column_name from information_schema.columns where table_catalog = current_database() "
                    "and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if column not in RUN_COLUMNS
            ]
            listed = ", ".join(f'"{column}"' for column in columns)
            differ = con.execute(
                f"select count(*) from ((select {listed} from main.{table} except all select {listed} from cut.{table})"
                f" union all (select {listed} from cut.{table} except all select {listed} from main.{table}))"
            ).fetchall()[0][0]
            assert differ == 0, f"{table}: {differ} rows differ"


def test_a_last_day_with_a_handful_of_events_warns(small_sim, tmp_path):
    events = pd.read_parquet(small_sim / "events.parquet")
    last = events["event_time"].max().normalize() + pd.Timedelta(days=1, hours=9)
    handful = events.tail(3).assign(event_time=[last + pd.Timedelta(hours=h) for h in range(3)])
    path = tmp_path / "events.parquet"
    pd.concat([events, handful]).to_parquet(path, index=False)
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path)})
    result = project.build_selected("+int_data_span")
    assert "WARNING: the as_of day" in result.stdout
    assert "holds 3 events against a median of" in result.stdout
    assert "Warning in test warn_as_of_day_looks_partly_loaded" in result.stdout


def write_events(path: Path, rows: list[tuple]) -> Path:
    pd.DataFrame(rows, columns=["user_id", "event_name", "event_time", "value"]).to_csv(path, index=False)
    return path


def daily_events(users: int, days: int, start: str = "2026-01-01", id_format: str = "{}") -> list[tuple]:
    first = pd.Timestamp(start)
    return [
        (id_format.format(u), "app_open", str(first + pd.Timedelta(days=d, hours=8 + u % 10)), "")
        for d in range(days)
        for u in range(1, users + 1)
        if (u + d) % 3
    ]


@pytest.mark.parametrize(
    ("as_of", "fragments"),
    [
        ("2025-12-01", ["as_of 2025-12-01 is before the data starts (2026-01-01)"]),
        ("2026-04-20", ["as_of 2026-04-20 is 10 days after the last event (2026-04-10)", "stalled load"]),
    ],
)
def test_as_of_outside_the_data_fails_naming_both_dates(tmp_path, as_of, fragments):
    path = write_events(tmp_path / "events.csv", daily_events(users=20, days=100))
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path), "as_of": as_of})
    result = project.build_selected("+int_data_span", check=False)
    assert result.returncode != 0
    for fragment in fragments:
        assert fragment in result.stdout, result.stdout[-3000:]


def test_a_quiet_day_or_two_after_the_last_event_is_fine(tmp_path):
    path = write_events(tmp_path / "events.csv", daily_events(users=20, days=100))
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path), "as_of": "2026-04-12"})
    project.build_selected("+int_data_span")
    assert str(project.query("select as_of_date from int_data_span")["as_of_date"][0])[:10] == "2026-04-12"


def test_a_stray_1970_event_does_not_move_the_start_of_the_data(tmp_path):
    rows = daily_events(users=20, days=100) + [("3", "app_open", "1970-01-01 00:00:00", "")]
    path = write_events(tmp_path / "events.csv", rows)
    segment = {
        "name": "active_7d",
        "target_event": "app_open",
        "direction": "will_do",
        "past_days": 14,
        "future_days": 7,
        "precision": 0.6,
    }
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path), "segments": [segment]})
    project.build_selected("+int_cutoffs", "+stg_events_rejected")
    span = project.query("select * from int_data_span").iloc[0]
    assert str(span.data_start_date)[:10] == "2026-01-01"
    rejected = project.query("select * from stg_events_rejected")
    assert rejected["reject_reason"].tolist() == ["before_data_start"]
    assert rejected["event_time"].tolist() == ["1970-01-01 00:00:00"]
    cutoffs = project.query("select * from int_cutoffs")
    assert cutoffs["is_model_cutoff"].sum() == 6  # none skipped for the stray event
    assert cutoffs["history_days"].iloc[0] < 100


def test_a_night_whose_data_start_moves_over_staged_days_asks_for_a_full_refresh(tmp_path):
    # one day of events: the 1970 event is a twentieth of the data, too much to be called stray
    path = write_events(tmp_path / "events.csv", daily_events(users=20, days=1) + [("3", "app_open", "1970-01-01", "")])
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path)})
    project.build_selected("+stg_events_rejected")
    assert project.query("select count(*) as n from stg_events_rejected")["n"][0] == 0
    # a hundred days later it is under stray_event_max_share: staged as usable, it is now before the data start
    write_events(path, daily_events(users=20, days=100) + [("3", "app_open", "1970-01-01", "")])
    result = project.build_selected("+stg_events_rejected", check=False)
    assert result.returncode != 0
    assert "the usable events now start on another day than earlier nights judged" in result.stdout
    project.build_selected("+stg_events_rejected", "--full-refresh")
    rejected = project.query("select * from stg_events_rejected")
    assert rejected["reject_reason"].tolist() == ["before_data_start"]

    # how the staged rows were read is the table's comment; without it a night cannot compare, and says so
    with duckdb.connect(str(project.database)) as con:
        con.execute("comment on table base_events is null")
    result = project.build_selected("+stg_events_rejected", check=False)
    assert result.returncode != 0
    assert "has no record of how its rows were read" in result.stdout
    project.build_selected("+stg_events_rejected", "--full-refresh")
    project.build_selected("+stg_events_rejected")  # the comment is back: a night as usual

    # staged events from earlier versions (no copies column; the input settings on every row): a night
    # names the fix instead of failing on a column
    for change, reason in [
        ("alter table base_events add column input_settings varchar", "it keeps the input settings in a column"),
        ("alter table base_events drop column copies", "it has no copies column"),
    ]:
        with duckdb.connect(str(project.database)) as con:
            con.execute(f"drop view if exists stg_events; {change}")
        result = project.build_selected("+stg_events_rejected", check=False)
        assert result.returncode != 0
        assert f"was built by an earlier version of this project ({reason})" in result.stdout


def test_epoch_numbers_parse_in_every_unit_from_seconds_to_nanoseconds(tmp_path):
    """Seconds, milliseconds, microseconds (GA4's event_timestamp) and nanoseconds, as numbers (integers and
    doubles in Parquet) and as digits in a CSV: each unit's magnitude says which it is. Eight digits, below
    every unit, are a compact date (a date key, 20260301). A number in none of the ranges, or eight digits
    that are no date, is rejected, not read as some other year."""
    moment = pd.Timestamp("2026-03-01 10:00:00")
    seconds = int(moment.timestamp())
    expected = {
        "seconds": moment,
        "milliseconds": moment,
        "half_second": moment + pd.Timedelta(milliseconds=500),
        "ms_fraction": moment + pd.Timedelta(milliseconds=250),
        "microseconds": moment + pd.Timedelta(microseconds=250_001),
        "nanoseconds": moment + pd.Timedelta(microseconds=750_002),
        "compact_date": pd.Timestamp("2026-03-01"),
    }
    times = {
        "seconds": seconds,
        "milliseconds": seconds * 1000,
        "half_second": seconds + 0.5,
        "ms_fraction": seconds * 1000 + 250,
        "microseconds": seconds * 1_000_000 + 250_001,
        "nanoseconds": seconds * 1_000_000_000 + 750_002_000,
        "compact_date": 20260301,  # YYYYMMDD as a number: a warehouse's date key
        "not_a_date": 20261340,  # eight digits, but no month 13
        "too_small": 12_345,  # no unit reads it as a time after 1973
    }
    whole = {name: value for name, value in times.items() if value == int(value)}
    parquet = pd.DataFrame({"user_id": list(whole), "event_name": "app_open", "event_time": list(whole.values())})
    parquet["event_time"] = parquet["event_time"].astype("int64")  # nanoseconds exceed a double's exact integers
    parquet.to_parquet(tmp_path / "integers.parquet", index=False)
    doubles = {name: value for name, value in times.items() if name not in ("microseconds", "nanoseconds")}
    frame = pd.DataFrame({"user_id": list(doubles), "event_name": "app_open", "event_time": list(doubles.values())})
    frame.astype({"event_time": "float64"}).to_parquet(tmp_path / "doubles.parquet", index=False)
    text = pd.DataFrame(
        {"user_id": list(times), "event_name": "app_open", "event_time": [str(value) for value in times.values()]}
    )
    text.to_csv(tmp_path / "text.csv", index=False)
    for name, users in [("integers.parquet", whole), ("doubles.parquet", doubles), ("text.csv", times)]:
        project = DbtProject(workdir=tmp_path / name.split(".")[0], vars={"events_path": str(tmp_path / name)})
        project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
        events = project.query("select user_id, event_at from stg_events order by user_id")
        assert dict(zip(events["user_id"], events["event_at"], strict=True)) == {
            user: expected[user] for user in users if user in expected
        }, name
        rejected = project.query("select user_id, reject_reason from stg_events_rejected order by user_id")
        assert rejected.values.tolist() == [
            ["not_a_date", "unparseable_event_time"],
            ["too_small", "unparseable_event_time"],
        ], name


def test_a_ga4_shaped_export_names_the_columns_read_then_stages_every_row_once_mapped(tmp_path):
    """GA4's export: times as epoch microseconds (event_timestamp), an event_date of its own (YYYYMMDD text),
    nested parameters, and a user_id column that is empty unless the site sets one, beside user_pseudo_id.
    Read as it comes, every row lacks a user id: the build stops, naming the columns it read and the var to
    set. Mapped, every row is staged at its own microsecond."""
    moments = [pd.Timestamp("2026-03-01 10:00:00") + pd.Timedelta(hours=h, microseconds=h) for h in range(0, 48, 5)]
    events = pd.DataFrame(
        {
            "event_date": [m.strftime("%Y%m%d") for m in moments],
            "event_timestamp": [int(m.value // 1000) for m in moments],
            "event_name": ["page_view", "purchase"] * 5,
            "event_params": [[{"key": "page_location", "value": f"/p/{i}"}] for i in range(len(moments))],
            "user_id": pd.Series([None] * len(moments), dtype="object"),
            "user_pseudo_id": [f"{i % 3}.1772359200" for i in range(len(moments))],
            "event_value_in_usd": [None, 12.5] * 5,
        }
    )
    path = tmp_path / "ga4.parquet"
    events.to_parquet(path, index=False)
    columns = {"event_time": "event_timestamp", "value": "event_value_in_usd"}
    unmapped = DbtProject(workdir=tmp_path / "unmapped", vars={"events_path": str(path), "event_columns": columns})
    result = unmapped.build_selected("+int_data_span", "+stg_events_rejected", check=False)
    assert result.returncode != 0
    assert "all 10 input rows were rejected (missing_user_id: 10)" in result.stdout
    assert "read from the columns user_id, event_name, event_timestamp" in result.stdout
    assert "map them with var event_columns" in result.stdout

    mapped = DbtProject(
        workdir=tmp_path / "mapped",
        vars={"events_path": str(path), "event_columns": {**columns, "user_id": "user_pseudo_id"}},
    )
    mapped.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    staged = mapped.query("select user_id, event_name, event_at, value from stg_events order by event_at")
    assert staged["event_at"].tolist() == moments
    assert staged["user_id"].tolist() == events["user_pseudo_id"].tolist()
    assert staged["value"].isna().tolist() == events["event_value_in_usd"].isna().tolist()
    assert mapped.query("select count(*) as n from stg_events_rejected")["n"][0] == 0


def test_a_json_export_whose_late_rows_change_a_keys_type_is_read_whole(tmp_path):
    """A gzipped JSON-lines export (as BigQuery or Amplitude write them): numeric ids and amounts for the
    first 21,000 rows, more than DuckDB samples to type a key, then an id written as text and an amount
    written as a word, beside a nested object. Typed from its first rows, the read stopped at the late row
    with DuckDB's cast error. Typed from every row, each event is staged with its id as text (not quoted as
    JSON), and the word is rejected as unparseable_value, its text shown as written."""
    start = pd.Timestamp("2026-03-01 00:00:00")
    lines = [
        {"user_id": i % 700, "event_type": "open", "time": str(start + pd.Timedelta(minutes=i)),
         "props": {"screen": "home"}, "revenue": i % 7}
        for i in range(21_000)
    ]  # fmt: skip
    lines += [
        {"user_id": "c-abc", "event_type": "purchase", "time": "2026-03-20 10:00:00", "props": {}, "revenue": 12.5},
        {"user_id": 3, "event_type": "purchase", "time": "2026-03-20 11:00:00", "props": {}, "revenue": "twelve"},
    ]
    path = tmp_path / "export.json.gz"
    with gzip.open(path, "wt") as out:
        out.writelines(json.dumps(line) + "\n" for line in lines)
    project = DbtProject(
        workdir=tmp_path,
        vars={
            "events_path": str(path),
            "event_columns": {"event_name": "event_type", "event_time": "time", "value": "revenue"},
        },
    )
    project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    staged = project.query(
        "select count(*) as n, count(distinct user_id) as users, sum(value) as total from stg_events"
    )
    assert staged.values.tolist() == [[21_001, 701, sum(i % 7 for i in range(21_000)) + 12.5]]
    late = project.query("select user_id, value from stg_events where event_name = 'purchase'")
    assert late.values.tolist() == [["c-abc", 12.5]]
    rejected = project.query("select user_id, value, reject_reason from stg_events_rejected")
    assert rejected.values.tolist() == [["3", "twelve", "unparseable_value"]]


def test_parquet_parts_that_differ_in_columns_keep_every_value_and_warn_naming_the_file(tmp_path):
    """Daily Parquet exports whose parts differ: one day's amounts were all whole (written as integers),
    the next day's have cents (decimals), a third day's file has no value column, and one attribute file
    has no timezone column. Read with the first file's types, the cents were rounded away without a word,
    and the part without the column stopped the build. Every amount is now kept as written, the rows of the
    part without values are staged without one, and a warning names each file that lacks a column."""
    events = tmp_path / "events"
    attributes = tmp_path / "attributes"
    events.mkdir()
    attributes.mkdir()
    with duckdb.connect() as con:
        con.execute(
            f"""copy (select 'u' || (i % 5) as user_id, 'purchase' as event_name,
                    timestamp '2024-03-01 08:00:00' + to_minutes(i * 7) as event_time,
                    cast(10 + i as bigint) as value from range(40) as t(i))
                to '{events / "day-1.parquet"}' (format parquet)"""
        )
        con.execute(
            f"""copy (select 'u' || (i % 5) as user_id, 'purchase' as event_name,
                    timestamp '2024-03-02 08:00:00' + to_minutes(i * 7) as event_time,
                    10.25 + i as value from range(30) as t(i))
                to '{events / "day-2.parquet"}' (format parquet)"""
        )
        con.execute(
            f"""copy (select 'u' || (i % 5) as user_id, 'purchase' as event_name,
                    timestamp '2024-03-03 08:00:00' + to_minutes(i * 7) as event_time from range(20) as t(i))
                to '{events / "day-3.parquet"}' (format parquet)"""
        )
        con.execute(
            f"""copy (select 'u' || i as user_id, 'Europe/Berlin' as timezone from range(3) as t(i))
                to '{attributes / "a-1.parquet"}' (format parquet)"""
        )
        con.execute(
            f"""copy (select 'u' || (3 + i) as user_id, date '2024-01-01' as signup_date from range(2) as t(i))
                to '{attributes / "a-2.parquet"}' (format parquet)"""
        )
    project = DbtProject(
        workdir=tmp_path / "build",
        vars={
            "events_path": str(events / "*.parquet"),
            "user_attributes_path": str(attributes / "*.parquet"),
        },
    )
    result = project.build_selected(
        "+stg_events", "+stg_events_rejected", "+stg_user_attributes", "warn_input_files_lack_columns"
    )
    staged = project.query(
        "select cast(event_at as date) as day, count(*) as n, count(value) as valued, sum(value) as total "
        "from stg_events group by 1 order by 1"
    )
    assert staged["n"].tolist() == [40, 30, 20]
    assert staged["valued"].tolist() == [40, 30, 0]
    assert staged["total"].tolist()[:2] == [sum(10 + i for i in range(40)), sum(10.25 + i for i in range(30))]
    assert project.query("select count(*) as n from stg_events_rejected")["n"][0] == 0
    zones = project.query("select user_id, timezone from stg_user_attributes order by 1")
    assert zones["timezone"].fillna("unknown").tolist() == ["Europe/Berlin"] * 3 + ["unknown"] * 2
    warnings = [line for line in result.stdout.splitlines() if "WARNING: " in line]
    assert any(
        "events_path" in line
        and "column value, which its other files have, is missing from 1 of its 3 Parquet files" in line
        and "day-3.parquet" in line
        and "their 20 rows read it as missing" in line
        for line in warnings
    ), warnings
    assert any(
        "user_attributes_path" in line and "column timezone" in line and "a-2.parquet" in line for line in warnings
    ), warnings
    assert any("column signup_date" in line and "a-1.parquet" in line for line in warnings), warnings
    assert len(warnings) == 3, warnings  # no column every file has (user_id, event_name, event_time) is named


def test_an_orders_file_without_an_event_name_column_is_read_with_single_event_name(tmp_path):
    """An orders file (CDNOW's shape: customer id, YYYYMMDD date, amount) has no event name: every row is a
    purchase. Read as it comes, the build stops naming the missing column and the var that names the event;
    with the var, every row is staged as that event. A blank name is a compile error, not an empty event."""
    orders = pd.DataFrame(
        {
            "customer_id": ["7", "7", "12", "31", "12"],
            "order_date": ["19970101", "19970312", "19970102", "19970105", "19970630"],
            "amount": [29.33, 11.77, 0.0, 57.45, 20.1],
        }
    )
    path = tmp_path / "orders.csv"
    orders.to_csv(path, index=False)
    columns = {"user_id": "customer_id", "event_time": "order_date", "value": "amount"}
    base_vars = {"events_path": str(path), "event_columns": columns}
    unnamed = DbtProject(workdir=tmp_path / "unnamed", vars=base_vars)
    result = unnamed.build_selected("+stg_events", check=False)
    assert result.returncode != 0
    assert "lacks the required column(s) event_name" in result.stdout
    assert "Its columns are: customer_id, order_date, amount" in result.stdout
    assert "var 'single_event_name'" in result.stdout

    named = DbtProject(workdir=tmp_path / "named", vars={**base_vars, "single_event_name": " purchase "})
    named.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    staged = named.query("select user_id, event_name, event_at, value from stg_events order by event_at")
    expected = orders.sort_values("order_date")
    assert staged["user_id"].tolist() == expected["customer_id"].tolist()
    assert set(staged["event_name"]) == {"purchase"}
    assert staged["event_at"].tolist() == pd.to_datetime(expected["order_date"]).tolist()
    assert staged["value"].tolist() == expected["amount"].tolist()
    assert named.query("select count(*) as n from stg_events_rejected")["n"][0] == 0

    for blank in ["", "  "]:
        parsed, message = named.parse_in_process({**base_vars, "single_event_name": blank})
        assert not parsed and "var 'single_event_name' must be the name of the event" in message, blank


def test_repeats_of_a_date_only_day_warn_and_count_once_each_with_keep_duplicate_events(tmp_path):
    """Dates without a time cannot tell two purchases of one amount on one day apart: identical rows are one
    event by default (a file loaded twice), and the build warns when such copies are many. With
    keep_duplicate_events every copy is an event, in the daily rollup's counts and value sums too; turning
    it on over staged days asks for a full refresh."""
    rows = [(f"c{c}", f"2026-01-{d:02d}", 10.0 + c) for c in range(20) for d in range(1, 29) if (c + d) % 4 == 0]
    rows += [("c1", "2026-01-05", 60.0)] * 2 + [("c2", "2026-01-09", 60.0)] * 3
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["user_id", "event_time", "value"]).to_csv(path, index=False)
    selected = ("+int_user_event_days", "+stg_events_rejected")
    base_vars = {"events_path": str(path), "single_event_name": "purchase"}
    project = DbtProject(workdir=tmp_path / "build", vars=base_vars)
    result = project.build_selected(*selected)
    assert "WARNING: 3 of 145 event rows are exact copies" not in result.stdout  # under 5 %: no warning
    rejected = project.query("select user_id, reject_reason from stg_events_rejected order by user_id")
    assert rejected.values.tolist() == [["c1", "duplicate"], ["c2", "duplicate"], ["c2", "duplicate"]]

    def day(user: str, date: str):
        return project.query(
            "select event_count, cast(value_sum as double) as value_sum from int_user_event_days "
            "where user_id = ? and event_date = ?",
            [user, date],
        ).values.tolist()

    assert day("c1", "2026-01-05") == [[1, 60.0]] and day("c2", "2026-01-09") == [[1, 60.0]]

    keep = {**base_vars, "keep_duplicate_events": True}
    stopped = project.build_selected(*selected, vars=keep, check=False)
    assert stopped.returncode != 0
    assert "keep_duplicate_events was false, now true" in stopped.stdout
    project.build_selected(*selected, "--full-refresh", vars=keep)
    assert project.query("select count(*) as n from stg_events_rejected")["n"][0] == 0
    assert project.query("select count(*) as n from stg_events")["n"][0] == len(rows)
    assert day("c1", "2026-01-05") == [[2, 120.0]] and day("c2", "2026-01-09") == [[3, 180.0]]

    # many copies, all at midnight: the warning says so and names the var
    copies = rows + [("c3", "2026-01-20", 5.0)] * 12
    pd.DataFrame(copies, columns=["user_id", "event_time", "value"]).to_csv(path, index=False)
    warned = DbtProject(workdir=tmp_path / "warned", vars=base_vars).build_selected(*selected)
    assert (
        "WARNING: 14 of 157 event rows are exact copies of another row (same user, event, time and value) and"
        " count as one event, every one of them at midnight (dates without a time)"
    ) in warned.stdout
    assert "set keep_duplicate_events: true" in warned.stdout


def test_user_ids_that_never_come_back_warn_naming_the_var_to_map(tmp_path):
    """An orders export whose customer id is one per order (a marketplace's): no user has events on two days,
    so no segment can find anyone who comes back. The build warns and says how to map the person's id; with
    that id mapped, it does not."""
    rows = []
    for person in range(300):
        for order in range(1 + person % 3):  # a third of the people buy once, the others again weeks later
            day = dt.date(2026, 1, 1) + dt.timedelta(days=(person * 7 + order * 23) % 80)
            rows.append((f"o{person}_{order}", f"p{person}", f"{day} 1{order}:00:00", 20.0 + order))
    path = tmp_path / "orders.csv"
    pd.DataFrame(rows, columns=["order_customer_id", "person_id", "ordered_at", "amount"]).to_csv(path, index=False)
    selected = ("+int_users", "+int_data_span", "warn_users_never_come_back")
    warning = "WARNING: only 0 of 600 users seen before the scoring cutoff have events on more than one day, over"
    for user_column, warns in [("order_customer_id", True), ("person_id", False)]:
        columns = {"user_id": user_column, "event_time": "ordered_at", "value": "amount"}
        project = DbtProject(
            workdir=tmp_path / user_column,
            vars={"events_path": str(path), "event_columns": columns, "single_event_name": "purchase"},
        )
        result = project.build_selected(*selected)
        assert (warning in result.stdout) == warns, result.stdout[-3000:]
        assert ("map the id of the person in the event_columns var" in result.stdout) == warns


def test_a_latin_1_file_warns_then_reads_with_csv_encoding(tmp_path):
    """A file saved in Latin-1 (a French shop's export): read as UTF-8, every line with an accent is an
    unreadable line, the purchases among them, and a warning names csv_encoding; with csv_encoding: latin-1
    every line is an event, accents and all. An encoding the reader has not stops the build saying so."""
    lines = ["user_id;event_name;event_time;value"]
    lines += [f"u{i};Achat effectué;2024-01-{1 + i:02d} 10:00:00;12,50" for i in range(6)]
    lines += [f"u{i};Connexion;2024-01-{1 + i:02d} 09:00:00;" for i in range(6)]
    path = tmp_path / "events.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    base = {"events_path": str(path), "csv_delimiter": ";", "decimal_separator": ","}
    selected = ("+stg_events", "+stg_events_rejected", "warn_lines_not_in_the_file_encoding")
    project = DbtProject(workdir=tmp_path / "utf8", vars=base)
    result = project.build_selected(*selected)
    assert "WARNING: 6 line(s) of the events input are not valid utf-8 text and were rejected" in result.stdout
    assert "set csv_encoding: latin-1" in result.stdout
    assert project.query("select count(*) as n from stg_events")["n"][0] == 6

    project = DbtProject(workdir=tmp_path / "latin1", vars={**base, "csv_encoding": "latin-1"})
    result = project.build_selected(*selected)
    assert "not valid" not in result.stdout
    staged = project.query(
        "select event_name, count(*) as n, coalesce(sum(value), 0) as v from stg_events group by 1 order by 1"
    )
    assert staged.values.tolist() == [["Achat effectué", 6, 75.0], ["Connexion", 6, 0.0]]

    unknown = DbtProject(workdir=tmp_path / "unknown", vars={**base, "csv_encoding": "ebcdic"})
    stopped = unknown.build_selected("+base_events", check=False)
    assert stopped.returncode != 0
    assert "var csv_encoding is 'ebcdic'; it reads utf-8 or latin-1" in stopped.stdout


def test_a_file_read_as_one_column_names_the_separator_to_set(tmp_path):
    """A semicolon- or tab-separated file read with the default comma comes out as one column whose name
    holds the header: the stop says which csv_delimiter to set (and with it the file reads). Fields lined up
    with spaces (CDNOW's raw .txt, which has no header either): the stop names csv_delimiter whitespace and
    the var that names the columns of a file without a header row."""
    lines = ["user_id{0}event_name{0}event_time", "1{0}purchase{0}2026-01-01", "2{0}app_open{0}2026-01-02"]
    files = {";": tmp_path / "semicolons.csv", "\t": tmp_path / "tabs.txt"}
    for separator, path in files.items():
        path.write_text("\n".join(line.format(separator) for line in lines) + "\n")
    fixed_width = tmp_path / "CDNOW_master.txt"
    fixed_width.write_text("     1 19970101   1     11.77\n     2 19970112   2     24.50\n")
    expected = {
        files[";"]: """e.g. --vars '{csv_delimiter: ";"}'""",
        files["\t"]: """e.g. --vars '{csv_delimiter: "\\t"}'""",
        fixed_width: "lined up with runs of spaces or tabs are split with --vars '{csv_delimiter: whitespace}'. A file"
        " without a header row names its columns, in order, with var 'events_csv_columns', e.g. --vars"
        " '{events_csv_columns: [user_id, event_name, event_time]}'",
    }
    for path, hint in expected.items():
        project = DbtProject(workdir=tmp_path / path.stem, vars={"events_path": str(path)})
        result = project.build_selected("+base_events", check=False)
        assert result.returncode != 0
        assert "reads as one column" in result.stdout and "not separated by ','" in result.stdout, path.name
        assert hint in result.stdout, path.name

    for separator, path in files.items():
        project = DbtProject(
            workdir=tmp_path / f"{path.stem}_read", vars={"events_path": str(path), "csv_delimiter": separator}
        )
        project.dbt("run", "--select", "+stg_events")
        staged = project.query("select user_id, event_name from stg_events order by user_id")
        assert staged.values.tolist() == [["1", "purchase"], ["2", "app_open"]], path.name


def test_a_text_file_lined_up_with_spaces_and_without_a_header_reads_with_its_columns_named(tmp_path):
    """CDNOW's raw file: id, YYYYMMDD date, quantity and amount lined up with runs of spaces, no header row.
    With csv_delimiter whitespace and events_csv_columns every line is an event; a line with more fields
    than the columns is rejected whole, and a header row, when there is one, names the columns."""
    lines = ["    1 19970101  1   11.77", "    2 19970112\t 2   24.50 ", "", "    3 19970113  1   5.00 x"]
    path = tmp_path / "CDNOW_master.txt"
    path.write_text("\r\n".join(lines) + "\r\n")
    vars = {
        "events_path": str(path),
        "csv_delimiter": "whitespace",
        "events_csv_columns": ["user_id", "event_time", "quantity", "value"],
        "single_event_name": "purchase",
    }
    project = DbtProject(workdir=tmp_path / "build", vars=vars)
    project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    staged = project.query("select user_id, event_name, event_at, value from stg_events order by user_id")
    assert staged.values.tolist() == [
        ["1", "purchase", pd.Timestamp("1997-01-01"), 11.77],
        ["2", "purchase", pd.Timestamp("1997-01-12"), 24.5],
    ]
    rejected = project.query("select reject_reason, detail from stg_events_rejected")
    assert rejected.values.tolist() == [["unreadable_line", "(too many fields): " + lines[3]]]

    headed = tmp_path / "headed.txt"
    headed.write_text("customer  day       amount\n   7 19970301  9.99\n")
    columns = {"user_id": "customer", "event_time": "day", "value": "amount"}
    project = DbtProject(
        workdir=tmp_path / "headed",
        vars={"events_path": str(headed), "csv_delimiter": "whitespace", "event_columns": columns,
              "single_event_name": "purchase"},
    )  # fmt: skip
    project.dbt("run", "--select", "+stg_events")
    assert project.query("select user_id, value from stg_events").values.tolist() == [["7", 9.99]]

    wrong = {**vars, "events_csv_columns": ["user_id", "User_Id"]}
    result = DbtProject(workdir=tmp_path / "wrong", vars=wrong).build_selected("+base_events", check=False)
    assert result.returncode != 0
    assert "var 'events_csv_columns' must list the names of the file's columns in order, each once" in result.stdout


def test_an_offset_after_a_space_as_ruby_and_go_write_it_is_read_as_utc(tmp_path):
    written = {  # user: (the time as the app wrote it, the same moment in UTC)
        "ruby": ("2026-03-01 10:00:00 +0100", "2026-03-01 09:00:00"),
        "colon": ("2026-03-01 10:00:00 -05:00", "2026-03-01 15:00:00"),
        "go": ("2026-03-01 10:00:00 +0000 UTC", "2026-03-01 10:00:00"),
        "fraction": ("2026-03-01 10:00:00.25 +0530", "2026-03-01 04:30:00.25"),
        "iso": ("2026-03-01T10:00:00Z", "2026-03-01 10:00:00"),
        "not_a_time": ("2026-03-01 10:00:00 +01", None),
    }
    path = write_events(tmp_path / "events.csv", [(user, "app_open", at, "") for user, (at, _) in written.items()])
    project = DbtProject(workdir=tmp_path / "build", vars={"events_path": str(path)})
    project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    events = project.query("select user_id, event_at from stg_events")
    assert dict(zip(events["user_id"], events["event_at"], strict=True)) == {
        user: pd.Timestamp(utc) for user, (_, utc) in written.items() if utc
    }
    rejected = project.query("select user_id, reject_reason from stg_events_rejected")
    assert rejected.values.tolist() == [["not_a_time", "unparseable_event_time"]]


US_TIMES = [  # user_id, event_name, event_time, value: times as some retail exports write them
    ("1", "purchase", "12/1/2010 8:26", "3.5"),
    ("2", "purchase", "12/1/2010 17:05", ""),
    ("1", "purchase", "12/2/2010 9:00", "2"),
    ("2", "purchase", "2010-12-03T10:15:00Z", ""),  # ISO still reads with a format set
    ("3", "purchase", "12/13/2010 23:59", "1"),
]


def test_times_in_another_format_fail_naming_one_then_read_with_event_time_format(tmp_path):
    hint = "set var event_time_format to their strptime format"
    only_us = write_events(tmp_path / "only_us.csv", [row for row in US_TIMES if "/" in row[2]])
    project = DbtProject(workdir=tmp_path / "unset", vars={"events_path": str(only_us)})
    result = project.build_selected("+int_data_span", check=False)
    assert result.returncode != 0
    assert "No usable events: all 4 input rows were rejected (unparseable_event_time: 4)" in result.stdout
    readable = "ISO 8601, a date, an epoch number (seconds to nanoseconds), or YYYYMMDD"
    assert f"Times such as '12/1/2010 17:05' are not {readable}: {hint}" in result.stdout  # the smallest text

    path = write_events(tmp_path / "events.csv", US_TIMES)
    project = DbtProject(workdir=tmp_path / "mixed", vars={"events_path": str(path), "as_of": "2010-12-03"})
    result = project.build_selected("+int_data_span", "+stg_events_rejected")  # builds, and warns
    assert "WARNING: 4 of 5 event rows were rejected (unparseable_event_time: 4)" in result.stdout
    assert hint in result.stdout

    project = DbtProject(
        workdir=tmp_path / "set",
        vars={"events_path": str(path), "as_of": "2010-12-13", "event_time_format": "%m/%d/%Y %H:%M"},
    )
    for build in ("full", "incremental"):  # a night checks the older days with the same parse
        project.build_selected("+int_data_span", "+stg_events_rejected")
        events = project.query("select user_id, event_at from stg_events order by event_at")
        assert events["event_at"].astype(str).tolist() == [
            "2010-12-01 08:26:00",
            "2010-12-01 17:05:00",
            "2010-12-02 09:00:00",
            "2010-12-03 10:15:00",
            "2010-12-13 23:59:00",
        ], build
        assert project.query("select count(*) as n from stg_events_rejected")["n"][0] == 0, build

    bad = DbtProject(workdir=tmp_path / "bad", vars={"events_path": str(path), "event_time_format": "MM/dd/yyyy"})
    result = bad.build_selected("base_events", check=False)
    assert result.returncode != 0
    assert "var event_time_format must be a strptime format such as" in result.stdout


def test_day_numbers_and_serial_dates_are_named_as_such_not_sent_to_a_strptime_format(tmp_path):
    # a day counter (as some retail panels write it) and a spreadsheet's serial dates: no strptime format
    # reads them, so the message says to make dates of them
    numbers = [("1", "purchase", "1", "2.5"), ("1", "purchase", "711", ""), ("2", "purchase", "44927.5", "")]
    project = DbtProject(
        workdir=tmp_path / "days", vars={"events_path": str(write_events(tmp_path / "d.csv", numbers))}
    )
    result = project.build_selected("+int_data_span", check=False)
    assert result.returncode != 0
    assert "No usable events: all 3 input rows were rejected (unparseable_event_time: 3)" in result.stdout
    assert "Times such as '1' are numbers too small for epoch seconds" in result.stdout
    assert "point var events_table at it" in result.stdout
    assert "event_time_format" not in result.stdout

    # eight digits that are no YYYYMMDD date are not a day number: the strptime hint stays
    compact = [("1", "purchase", "20231345", ""), ("2", "purchase", "99999999", "")]
    project = DbtProject(
        workdir=tmp_path / "compact", vars={"events_path": str(write_events(tmp_path / "c.csv", compact))}
    )
    result = project.build_selected("+int_data_span", check=False)
    assert result.returncode != 0
    assert "Times such as '20231345' are not ISO 8601" in result.stdout
    assert "too small for epoch seconds" not in result.stdout


ATTRIBUTE_ROWS = [
    # user_id, timezone, signup_date, plan, updated_at
    ("1.0", "Europe/Istanbul", "2025-12-01", "free", ""),
    ("2.0", "America/New_York", "2025-12-02", "pro", ""),
    ("2.0", "NULL", "N/A", "NULL", ""),  # words for missing: nothing said, so nothing to disagree with
    ("3.0", "Mars/Olympus_Mons", "2025-12-03", "plus", ""),  # bad time zone: the rest is kept
    ("4.0", "Asia/Tokyo", "someday", "free", ""),  # bad signup date: the rest is kept
    ("5.0", "Europe/London", "2025-12-05", "free", "2026-01-01 00:00:00"),
    ("5.0", "Europe/Paris", "2025-12-05", "pro", "2026-02-01 00:00:00"),  # the latest wins
    ("6.0", "UTC", "2025-12-06", "free", ""),
    ("6.0", "UTC", "2025-12-06", "pro", ""),  # no updated_at and they disagree: a conflict on plan only
    ("7.0", "UTC", "2025-12-07", "free", ""),
    ("7.0", "UTC", "2025-12-07", "free", ""),  # agreeing copies
    ("", "UTC", "2025-12-08", "free", ""),  # no user id
    ("8.0", "europe/istanbul", "2025-12-08", "free", ""),  # a name in another case
    ("9.0", "UTC+3", "2025-12-09", "free", ""),  # a UTC offset in whole hours: Etc/GMT-3
    ("10.0", "+05:30", "2025-12-10", "free", ""),  # no zone has only this offset: unknown
]


def build_attributes(tmp_path: Path, rows: list[tuple], id_format: str) -> tuple[DbtProject, str]:
    events = write_events(tmp_path / "events.csv", daily_events(users=10, days=40, id_format=id_format))
    attributes = tmp_path / "attributes.csv"
    columns = ["user_id", "timezone", "signup_date", "plan", "updated_at"]
    pd.DataFrame(rows, columns=columns).to_csv(attributes, index=False)
    project = DbtProject(
        workdir=tmp_path,
        vars={
            "events_path": str(events),
            "user_attributes_path": str(attributes),
            "categorical_attributes": ["plan"],
        },
    )
    # int_users: the users of the events that the attribute match warning counts
    result = project.build_selected(
        "+stg_user_attributes", "+stg_user_attributes_rejected", "+stg_events_rejected", "+stg_events", "+int_users"
    )
    return project, result.stdout


def test_attribute_problems_cost_only_the_bad_field(tmp_path):
    project, output = build_attributes(tmp_path, ATTRIBUTE_ROWS, id_format="{}")
    users = project.query("select * from stg_user_attributes order by user_id").set_index("user_id")
    assert sorted(users.index) == ["1", "10", "2", "3", "4", "5", "6", "7", "8", "9"]  # float ids normalised
    assert users.loc["8", "timezone"] == "Europe/Istanbul" and users.loc["9", "timezone"] == "Etc/GMT-3"
    assert pd.isna(users.loc["10", "timezone"])
    assert pd.isna(users.loc["3", "timezone"]) and users.loc["3", "plan"] == "plus"
    assert pd.isna(users.loc["4", "signup_date"]) and users.loc["4", "timezone"] == "Asia/Tokyo"
    assert users.loc["5", "timezone"] == "Europe/Paris" and users.loc["5", "plan"] == "pro"
    assert pd.isna(users.loc["6", "plan"]) and users.loc["6", "timezone"] == "UTC"
    assert users.loc["7", "plan"] == "free"
    assert users.loc["2", "timezone"] == "America/New_York" and users.loc["2", "plan"] == "pro"
    rejected = project.query("select * from stg_user_attributes_rejected order by reject_reason, user_id")
    columns = ["user_id", "attribute_name", "attribute_value", "reject_reason"]
    assert rejected[columns].astype(object).where(rejected[columns].notna(), None).values.tolist() == [
        ["6", "plan", "free | pro", "conflicting_values"],
        [None, None, None, "missing_user_id"],
        ["10", "timezone", "+05:30", "unknown_timezone"],
        ["3", "timezone", "Mars/Olympus_Mons", "unknown_timezone"],
        ["4", "signup_date", "someday", "unparseable_signup_date"],
    ]
    assert (
        "2 of 13 time zones in the user attributes are unknown (such as '+05:30', 'Mars/Olympus_Mons'): those"
        " users' best send hours are in UTC." in output
    )
    # integer ids in the events match the float ids of the attributes: no mismatch warning
    assert "WARNING: only" not in output
    assert re.search(r"PASS warn_few_event_users_have_attributes\b", output), output[-3000:]


def test_attribute_times_in_another_format_warn_and_are_read_with_user_attributes_time_format(tmp_path):
    """A CRM export writes signup dates as 3/15/2024 and updated_at as 2/5/2025 9:00. Unread, the signup
    dates are missing, and the rows without a readable updated_at are all the latest: a user's later plan
    becomes a conflict. Each unreadable field is a reject row, and a warning per column counts them and names
    the var. With user_attributes_time_format (a list: one format per column) every value is read, the later
    row wins, and nothing warns."""
    rows = [
        ("1", "UTC", "3/15/2024", "free", "1/5/2025 9:00"),
        ("1", "UTC", "3/15/2024", "pro", "2/5/2025 9:00"),  # the later row
        ("2", "UTC", "11/30/2024", "free", "2025-01-07 10:00:00"),  # ISO: read either way
    ]
    (tmp_path / "unread").mkdir()
    unread, output = build_attributes(tmp_path / "unread", rows, id_format="{}")
    assert (
        "WARNING: 3 of 3 signup_date values in the user attributes could not be read as times (such as"
        " '11/30/2024'): those users have no signup date." in output
    )
    assert "WARNING: 2 of 3 updated_at values in the user attributes could not be read as times (such as" in output
    assert "set user_attributes_time_format to their strptime format" in output
    users = unread.query("select user_id, signup_date, plan from stg_user_attributes order by user_id")
    assert users["signup_date"].isna().all() and pd.isna(users["plan"][0]) and users["plan"][1] == "free"
    reasons = unread.query(
        "select reject_reason, count(*) as n from stg_user_attributes_rejected group by 1 order by 1"
    ).values.tolist()
    assert reasons == [["conflicting_values", 1], ["unparseable_signup_date", 3], ["unparseable_updated_at", 2]]

    formats = ["%m/%d/%Y", "%m/%d/%Y %H:%M"]
    read = DbtProject(workdir=tmp_path / "unread", vars={**unread.vars, "user_attributes_time_format": formats})
    result = read.build_selected("+stg_user_attributes", "+stg_user_attributes_rejected")
    assert "could not be read as times" not in result.stdout and "WARN=0" in result.stdout
    users = read.query("select user_id, cast(signup_date as varchar) as signup_date, plan from stg_user_attributes")
    assert users.sort_values("user_id").values.tolist() == [["1", "2024-03-15", "pro"], ["2", "2024-11-30", "free"]]
    assert read.query("select count(*) as n from stg_user_attributes_rejected")["n"][0] == 0


def test_ids_that_do_not_match_warn(tmp_path):
    _, output = build_attributes(tmp_path, ATTRIBUTE_ROWS, id_format="user-{}")
    assert "WARNING: only 0 of 10 users in the events have user attributes" in output
    assert "Warning in test warn_few_event_users_have_attributes" in output


def test_one_event_name_written_two_ways_warns_naming_each_spelling_and_the_one_segments_name(tmp_path):
    """An app whose SDK changed writes 'Purchase' where it wrote 'purchase', and 'add-to-cart' beside
    'add_to_cart': each spelling is an event of its own, and a segment sees only the name it gives. A build
    warns, once per name, listing its spellings with their rows and the ones the segments name; a file of
    one spelling per name builds quietly."""
    names = ["purchase"] * 5 + ["Purchase"] * 2 + ["add_to_cart"] * 3 + ["add-to-cart"] + ["view"] * 4
    events = pd.DataFrame(
        {
            "user_id": [str(i % 4) for i in range(len(names))],
            "event_name": names,
            "event_time": [f"2026-01-{i + 1:02d} 10:00:00" for i in range(len(names))],
        }
    )
    path = tmp_path / "events.csv"
    events.to_csv(path, index=False)
    buyers = {"name": "buyers_7d", "target_event": "purchase", "direction": "will_do", "past_days": 30}
    segments = [{**buyers, "future_days": 7, "precision": 0.6}]
    selected = ("+int_daily_event_counts", "warn_event_names_written_more_than_one_way")
    project = DbtProject(workdir=tmp_path / "two_ways", vars={"events_path": str(path), "segments": segments})
    result = project.build_selected(*selected)
    lines = result.stdout.splitlines()
    warnings = [line.split("WARNING: ", 1)[1] for line in lines if "WARNING: One event name" in line]
    assert sorted(warnings) == [
        "One event name is written 2 ways, and each is an event of its own: 'add_to_cart' (3 rows), 'add-to-cart'"
        " (1 rows). A segment sees only the name it gives: write them as one name in the input (a view over the"
        " file, read with events_table), or name the spelling you mean.",
        "One event name is written 2 ways, and each is an event of its own: 'purchase' (5 rows), 'Purchase'"
        " (2 rows). A segment sees only the name it gives (the segments name 'purchase'): write them as one"
        " name in the input (a view over the file, read with events_table), or name the spelling you mean.",
    ], result.stdout[-3000:]
    assert "WARN=1" in result.stdout

    one_way = tmp_path / "one_way.csv"
    events.assign(event_name=[name.lower().replace("-", "_") for name in names]).to_csv(one_way, index=False)
    quiet = DbtProject(workdir=tmp_path / "one_way", vars={**project.vars, "events_path": str(one_way)})
    result = quiet.build_selected(*selected)
    assert "WARNING: One event name" not in result.stdout and "WARN=0" in result.stdout


def test_amounts_written_with_currency_marks_and_separators_are_read_and_mixed_currencies_warn(tmp_path):
    """Shops and spreadsheets write amounts as '$1,234.50' or '12 EUR': they read as their number, and a file
    whose amounts carry more than one currency warns, naming each mark. A value that is no amount is rejected
    with its reason. Decimal commas ('1.234,50', a semicolon file) stop the build while every row is
    rejected, naming one value and the var; with decimal_separator ',' they read."""
    written = ["$1,234.50", "12 EUR", "-$3", "1,000", "7.5", "abc", "USD 19.99", "€0.50", "1e3"]
    expected = [1234.5, 12.0, None, 1000.0, 7.5, None, 19.99, 0.5, 1000.0]
    orders = pd.DataFrame(
        {
            "user_id": [str(i) for i in range(len(written))],
            "event_time": [f"2026-01-{i + 1:02d}" for i in range(len(written))],
            "value": written,
        }
    )
    path = tmp_path / "orders.csv"
    orders.to_csv(path, index=False)
    project = DbtProject(workdir=tmp_path / "shop", vars={"events_path": str(path), "single_event_name": "purchase"})
    result = project.build_selected("+stg_events", "+stg_events_rejected", "warn_values_in_more_than_one_currency")
    events = project.query("select user_id, value from base_events order by event_at")
    reasons = project.query("select user_id, reject_reason from stg_events_rejected").set_index("user_id")
    assert events["value"].tolist()[:2] == expected[:2]
    for user, (value, want) in enumerate(zip(events["value"], expected, strict=True)):
        if want is None:
            continue
        assert value == pytest.approx(want), written[user]
    assert reasons["reject_reason"].to_dict() == {"2": "negative_value", "5": "unparseable_value"}
    assert "4 currency marks ($: 1, EUR: 1, USD: 1, €: 1)" in result.stdout  # the rejected -$3 not counted

    one_currency = tmp_path / "one_currency.csv"
    orders.assign(value=["$" + str(v) for v in range(len(written))]).to_csv(one_currency, index=False)
    one_currency_project = DbtProject(workdir=tmp_path / "one", vars={**project.vars, "events_path": str(one_currency)})
    quiet = one_currency_project.build_selected("+stg_events", "warn_values_in_more_than_one_currency")
    assert "currency marks" not in quiet.stdout and "WARN=0" in quiet.stdout

    european = tmp_path / "bestellungen.csv"
    european.write_text("user_id;event_time;value\n1;2026-01-02;1.234,50\n2;2026-01-03;12,5\n3;2026-01-04;0,75\n")
    eu_vars = {"events_path": str(european), "csv_delimiter": ";", "single_event_name": "purchase"}
    project = DbtProject(workdir=tmp_path / "european", vars=eu_vars)
    stopped = project.build_selected("+int_data_span", check=False)
    assert stopped.returncode != 0
    assert "all 3 input rows were rejected (unparseable_value: 3)" in stopped.stdout
    assert "Values such as '0,75' are not numbers with the decimal mark '.' (var decimal_separator" in stopped.stdout
    project.dbt("run", "--select", "+stg_events", "--full-refresh", vars={**eu_vars, "decimal_separator": ","})
    assert project.query("select value from stg_events order by event_at")["value"].tolist() == [1234.5, 12.5, 0.75]


def test_changing_how_the_input_is_read_asks_for_a_full_refresh(tmp_path):
    """A night reads only its newest days again. After a change to how the input is read (here the decimal
    mark, once some rows were usable), the older days would keep the old reading, silently: the build stops
    naming the setting, and a full refresh reads every day the new way. With nothing usable staged, every
    day is read again anyway and no stop is needed."""
    path = tmp_path / "orders.csv"
    days = [f"2026-01-{day:02d}" for day in range(1, 11)]
    path.write_text("user_id;event_time;value\n" + "".join(f"{i};{day};2,5\n" for i, day in enumerate(days)))
    settings = {"events_path": str(path), "csv_delimiter": ";", "single_event_name": "purchase"}
    project = DbtProject(workdir=tmp_path / "project", vars={**settings, "max_event_value": 1e9})
    project.dbt("run", "--select", "+stg_events")
    assert project.query("select count(*) as n from stg_events")["n"][0] == 0  # nothing usable: 2,5 unread
    comma = {**project.vars, "decimal_separator": ","}
    project.dbt("run", "--select", "+stg_events", vars=comma)  # every day read again: no stop
    assert project.query("select sum(value) as v from stg_events")["v"][0] == pytest.approx(25.0)

    lower_limit = {**comma, "max_event_value": 1e6}
    stopped = project.dbt("run", "--select", "+stg_events", vars=lower_limit, check=False)
    assert stopped.returncode != 0
    assert "other input settings than this build's (max_event_value was 1000000000.0, now 1000000.0)" in stopped.stdout
    assert "--full-refresh" in stopped.stdout
    project.dbt("run", "--select", "+stg_events", "--full-refresh", vars=lower_limit)
    project.dbt("run", "--select", "+stg_events", vars=lower_limit)  # the same settings: a night as usual
    assert project.query("select sum(value) as v from stg_events")["v"][0] == pytest.approx(25.0)
