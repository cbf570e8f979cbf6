"""Bad input never takes the build down or vanishes: every bad row is a reject row with its reason and every
good row is kept, or the build stops with a clear message saying what is wrong and what to set.

One test per kind of bad input met so far (the README's "When input is bad" lists them); attribute rows,
as_of outside the data and ids that do not match are in test_real_data_traps.py, interruptions and locks
in test_operations.py."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject

ODD_EVENT = 'it\'s "odd"; drop table stg_events; --'

ROWS = [
    # user_id, event_name, event_time, value, expected reject reason (None: kept)
    ("u1", "app_open", "2026-03-01 10:00:00", "", None),
    ("u1", "purchase", "2026-03-02", "25.5", None),  # date only: midnight UTC
    ("u2", "app_open", "2026-03-01T05:00:00+03:00", "", None),  # offset: 02:00 UTC
    ("  u3 ", " add_to_cart ", "2026-03-01 08:00:00", "", None),  # trimmed
    ("u5", ODD_EVENT, "2026-03-01 10:00:00", "", None),
    ("u6", "app_open", "1772359200", "", None),  # epoch seconds: 2026-03-01 10:00 UTC
    ("u7", "app_open", "1772359200000", "", None),  # epoch milliseconds
    ("8.0", "app_open", "20260301", "", None),  # a float id and a compact date
    ("", "app_open", "2026-03-01 10:00:00", "", "missing_user_id"),
    ("   ", "app_open", "2026-03-01 10:00:00", "", "missing_user_id"),
    ("u1", "", "2026-03-01 10:00:00", "", "missing_event_name"),
    ("u1", "  ", "2026-03-01 10:00:00", "", "missing_event_name"),
    ("u1", "app_open", "", "", "missing_event_time"),
    ("u1", "app_open", "not a time", "", "unparseable_event_time"),
    ("u1", "app_open", "2026-02-30 10:00:00", "", "unparseable_event_time"),
    ("u1", "app_open", "2999-01-01 00:00:00", "", "event_time_in_future"),
    ("u1", "purchase", "2026-03-01 11:00:00", "abc", "unparseable_value"),
    ("u1", "purchase", "2026-03-01 12:00:00", "-5", "negative_value"),
    ("u1", "purchase", "2026-03-01 12:01:00", "NaN", None),  # NaN as text: a word for missing, no value
    ("u1", "purchase", "2026-03-01 12:02:00", "inf", "non_finite_value"),
    ("u1", "purchase", "2026-03-01 12:03:00", "-Infinity", "non_finite_value"),
    ("u1", "purchase", "2026-03-01 12:04:00", "1e308", "value_out_of_range"),
    ("u1", "purchase", "2026-03-01 12:05:00", "1e33", "value_out_of_range"),
    # words exports write for a missing field: the event is kept without a value, or rejected as missing
    ("u9", "purchase", "2026-03-01 13:00:00", "NULL", None),
    ("u9", "purchase", "2026-03-01 13:05:00", "#N/A", None),
    ("u9", "purchase", "2026-03-01 13:10:00", "\\N", None),
    ("NULL", "app_open", "2026-03-01 10:00:00", "", "missing_user_id"),
    ("None", "app_open", "2026-03-01 10:00:00", "", "missing_user_id"),
    ("u1", "app_open", "NA", "", "missing_event_time"),
    ("u4", "app_open", "2026-03-03 09:00:00", "", None),
    ("u4", "app_open", "2026-03-03 09:00:00", "", "duplicate"),
    ("u4", "app_open", "2026-03-03 09:00:00", "", "duplicate"),
]


def write_csv(path: Path, rows: list[tuple], header: list[str] | None = None) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)
    return path


EVENT_HEADER = ["user_id", "event_name", "event_time", "value"]


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory) -> DbtProject:
    workdir = tmp_path_factory.mktemp("bad_input")
    path = write_csv(workdir / "events.csv", [row[:4] for row in ROWS], EVENT_HEADER)
    project = DbtProject(workdir=workdir, vars={"events_path": str(path)})
    project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    return project


def test_every_bad_row_is_rejected_with_its_reason(bad_input):
    rejected = bad_input.query("select reject_reason, count(*) as n from stg_events_rejected group by 1")
    actual = dict(zip(rejected["reject_reason"], rejected["n"], strict=True))
    expected: dict[str, int] = {}
    for row in ROWS:
        if row[4]:
            expected[row[4]] = expected.get(row[4], 0) + 1
    assert actual == expected


def test_good_rows_flow_typed_and_trimmed(bad_input):
    events = bad_input.query("select * from stg_events order by user_id, event_at")
    kept = [row for row in ROWS if row[4] is None]
    assert len(events) == len(kept)
    by_user = {(r.user_id, r.event_name): r for r in events.itertuples(index=False)}
    assert str(by_user[("u1", "purchase")].event_at) == "2026-03-02 00:00:00"
    assert by_user[("u1", "purchase")].value == 25.5
    assert str(by_user[("u2", "app_open")].event_at) == "2026-03-01 02:00:00"
    assert str(by_user[("u6", "app_open")].event_at) == "2026-03-01 10:00:00"
    assert str(by_user[("u7", "app_open")].event_at) == "2026-03-01 10:00:00"
    assert str(by_user[("8", "app_open")].event_at) == "2026-03-01 00:00:00"
    assert ("u3", "add_to_cart") in by_user
    assert ("u5", ODD_EVENT) in by_user
    assert by_user[("u4", "app_open")].duplicate_count == 2
    nulls = events[events["user_id"] == "u9"]
    assert len(nulls) == 3 and nulls["value"].isna().all()
    assert events[(events["user_id"] == "u1") & (events["event_name"] == "purchase")]["value"].isna().sum() == 1  # NaN


def test_nothing_is_lost(bad_input):
    counts = bad_input.query(
        "select (select count(*) from stg_events) + (select count(*) from stg_events_rejected) as accounted"
    )
    assert int(counts["accounted"][0]) == len(ROWS)


def app_events(users: int, days: int, id_format: str = "u{}", seed: int = 1) -> list[tuple]:
    """A small app log: each user opens the app on a share of days of their own until a day they leave
    (some never do), and buys now and then, with a value."""
    rng = np.random.default_rng(seed)
    first = pd.Timestamp("2026-01-01")
    rows = []
    for u in range(1, users + 1):
        p_open, leaves = rng.uniform(0.1, 0.9), rng.integers(days // 3, days * 2)
        for d in range(min(days, leaves)):
            if rng.random() < p_open:
                rows.append((id_format.format(u), "app_open", str(first + pd.Timedelta(days=d, hours=8 + u % 9)), ""))
                if rng.random() < 0.2:
                    at = first + pd.Timedelta(days=d, hours=12 + u % 5)
                    rows.append((id_format.format(u), "purchase", str(at), f"{rng.uniform(5, 120):.2f}"))
    return rows


SMALL_SEGMENTS = [
    {
        "name": "openers_7d",
        "target_event": "app_open",
        "direction": "will_do",
        "past_days": 14,
        "future_days": 7,
        "precision": 0.6,
    },
    {
        "name": "big_spenders_7d",
        "target_event": "purchase",
        "direction": "will_do",
        "min_value": 50,
        "past_days": 14,
        "future_days": 7,
        "precision": 0.99,
    },
]
SMALL_VARS = {"segments": SMALL_SEGMENTS, "training_cutoffs": 3, "min_class_rows": 5, "min_predicted_positives": 5}


def test_non_finite_and_huge_values_never_take_the_build_down(tmp_path):
    bad = [
        ("u1", "purchase", "2026-02-01 12:01:00", "-Infinity"),  # (NaN as text is a word for missing)
        ("u2", "purchase", "2026-02-01 12:02:00", "inf"),
        ("u3", "purchase", "2026-02-01 12:03:00", "1e308"),
        ("u4", "purchase", "2026-02-01 12:04:00", "1e33"),
    ]
    path = write_csv(tmp_path / "events.csv", app_events(users=40, days=70) + bad, EVENT_HEADER)
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path), **SMALL_VARS})
    project.dbt("build")  # every model, test and the publication
    rejected = project.query("select reject_reason, count(*) as n from stg_events_rejected group by 1")
    assert dict(zip(rejected["reject_reason"], rejected["n"], strict=True)) == {
        "non_finite_value": 2,
        "value_out_of_range": 2,
    }
    assert project.query("select count(*) as n from segment_model_report")["n"][0] == 2
    assert math.isfinite(project.query("select max(value_sum) as v from int_user_event_features")["v"][0])
    published = tmp_path / "predseg.published.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from segment_model_report").fetchone()[0] == 2


def test_one_bad_time_far_down_a_large_csv_is_one_reject_row(tmp_path):
    rows = [(f"u{i % 500}", "app_open", f"2026-03-01 {i % 24:02d}:{i % 60:02d}:{i % 59:02d}", "") for i in range(60000)]
    rows[59990] = ("u1", "app_open", "not a time", "")
    path = write_csv(tmp_path / "events.csv", rows, EVENT_HEADER)
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path)})
    project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    rejected = project.query("select * from stg_events_rejected where reject_reason != 'duplicate'")
    assert rejected["reject_reason"].tolist() == ["unparseable_event_time"]
    counts = project.query("select (select count(*) from stg_events) + (select count(*) from stg_events_rejected) as n")
    assert counts["n"][0] == 60000


@pytest.mark.parametrize(
    ("header", "fragments"),
    [
        (
            None,
            ["lacks the required column(s) user_id, event_name, event_time", "Its columns are: u1, app_open", "header"],
        ),
        (
            ["uid", "event", "ts", "value"],
            ["lacks the required column(s) user_id, event_name, event_time", "Its columns are: uid, event, ts, value"],
        ),
    ],
)
def test_missing_columns_fail_naming_them_the_columns_present_and_the_var(tmp_path, header, fragments):
    path = write_csv(tmp_path / "events.csv", app_events(users=3, days=3), header)
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path)})
    result = project.dbt("run", "--select", "+stg_events", check=False)
    assert result.returncode != 0
    for fragment in [*fragments, "event_columns"]:
        assert fragment in result.stdout, result.stdout[-3000:]
    assert "Binder Error" not in result.stdout


def test_a_column_mapping_reads_other_column_names(tmp_path):
    path = write_csv(tmp_path / "events.csv", app_events(users=3, days=3), ["uid", "event", "ts", "amount"])
    mapping = {"user_id": "uid", "event_name": "event", "event_time": "ts", "value": "amount"}
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path), "event_columns": mapping})
    project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
    assert project.query("select count(*) as n from stg_events")["n"][0] == len(app_events(users=3, days=3))
    assert project.query("select count(*) as n from stg_events_rejected")["n"][0] == 0


def test_a_missing_file_or_no_input_fails_saying_what_to_set(tmp_path):
    missing = DbtProject(workdir=tmp_path / "missing", vars={"events_path": str(tmp_path / "nope.csv")})
    result = missing.dbt("run", "--select", "+stg_events", check=False)
    assert result.returncode != 0 and "matches no file" in result.stdout
    unset = DbtProject(workdir=tmp_path / "unset", vars={})
    result = unset.dbt("run", "--select", "+stg_events", check=False)
    assert result.returncode != 0
    assert "No events input is configured: set var 'events_path'" in result.stdout
    assert "demo: true" in result.stdout


def test_a_spreadsheet_fails_saying_to_save_it_as_csv(tmp_path):
    """An .xlsx file would send DuckDB to fetch an extension (offline: a traceback about a download)."""
    events = write_csv(tmp_path / "events.csv", app_events(users=3, days=3), EVENT_HEADER)
    for name in ("events.xlsx", "users.XLSX"):
        (tmp_path / name).write_bytes(b"PK\x03\x04 not really a workbook")
    for kind, vars in [
        ("events", {"events_path": str(tmp_path / "events.xlsx")}),
        ("user_attributes", {"events_path": str(events), "user_attributes_path": str(tmp_path / "users.XLSX")}),
    ]:
        project = DbtProject(workdir=tmp_path / kind, vars=vars)
        result = project.dbt("run", "--select", "+stg_events", "+stg_user_attributes", check=False)
        assert result.returncode != 0
        assert (
            "cannot be read: it is a spreadsheet, which this project does not read: save the sheet as CSV (or "
            f"Parquet) and point {kind}_path at that file" in result.stdout
        ), result.stdout[-3000:]


def test_attributes_without_the_categorical_columns_fail_naming_them(tmp_path):
    events = write_csv(tmp_path / "events.csv", app_events(users=5, days=5), EVENT_HEADER)
    attributes = tmp_path / "attributes.csv"
    attributes.write_text("user_id,timezone\nu1,UTC\n")
    project = DbtProject(
        workdir=tmp_path,
        vars={
            "events_path": str(events),
            "user_attributes_path": str(attributes),
            "categorical_attributes": ["plan", "device"],
        },
    )
    result = project.dbt("run", "--select", "+base_user_attributes", check=False)
    assert result.returncode != 0
    assert "lacks the required column(s) plan, device" in result.stdout
    assert "Its columns are: user_id, timezone" in result.stdout
    assert "categorical_attributes" in result.stdout or "user_attribute_columns" in result.stdout


def test_every_row_rejected_stops_the_build_with_counts_and_the_rejects_table(tmp_path):
    rows = [(f"u{i}", "app_open", f"31/02/2026 {i % 24}:00", "") for i in range(40)]
    path = write_csv(tmp_path / "events.csv", rows, EVENT_HEADER)
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path)})
    result = project.build_selected("+int_data_span", "+stg_events_rejected", check=False)
    assert result.returncode != 0
    assert "No usable events: all 40 input rows were rejected (unparseable_event_time: 40)" in result.stdout
    assert "stg_events_rejected" in result.stdout
    assert "never occurs" not in result.stdout
    assert project.query("select count(*) as n from stg_events_rejected")["n"][0] == 40


def test_most_rows_rejected_warns_with_counts(tmp_path):
    rows = app_events(users=5, days=10)
    bad = [(f"u{i}", "app_open", "yesterday", "") for i in range(3 * len(rows))]
    path = write_csv(tmp_path / "events.csv", rows + bad, EVENT_HEADER)
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path)})
    result = project.build_selected("+stg_events_rejected", "+stg_events")
    assert (
        f"WARNING: {len(bad)} of {len(rows) + len(bad)} event rows were rejected (unparseable_event_time"
        in result.stdout
    )
    assert "see the table stg_events_rejected" in result.stdout


def campaign_rows(target: str | None) -> list[dict]:
    return [
        {
            "campaign_id": "spring_sale",
            "target_segment": target,
            "send_date": "2026-03-12",
            "send_local_time": "10:00:00",
            "send_instantly_if_passed": True,
            "quiet_hours_start": None,
            "quiet_hours_end": None,
        }
    ]


@pytest.fixture(scope="module")
def campaign_project(tmp_path_factory) -> DbtProject:
    """The small app log with its two segments built (big_spenders_7d asks a precision nobody reaches)."""
    workdir = tmp_path_factory.mktemp("campaigns")
    path = write_csv(workdir / "events.csv", app_events(users=40, days=70), EVENT_HEADER)
    project = DbtProject(workdir=workdir, vars={"events_path": str(path), **SMALL_VARS})
    project.build_models()
    return project


def plan_campaigns(project: DbtProject, target: str | None, check: bool = True):
    with duckdb.connect(str(project.database)) as con:
        con.register("rows", pd.DataFrame(campaign_rows(target)))
        con.execute("create or replace table my_campaigns as select * from rows")
    # a partial build: the consumer tables outside it stay from the earlier run, which the one-run check
    # (rightly) reports, so it is left out here
    return project.dbt(
        "build",
        "--select",
        "stg_campaigns+",
        "--exclude",
        "assert_consumer_tables_come_from_one_run",
        vars={"campaigns_table": "my_campaigns"},
        check=check,
    )


def test_a_padded_campaign_target_is_trimmed_and_planned(campaign_project):
    plan_campaigns(campaign_project, "  openers_7d ")
    summary = campaign_project.query("select * from campaign_send_summary").iloc[0]
    assert summary.target_segment == "openers_7d" and summary.target_status == "ok"
    assert summary.audience_users > 0 and pd.isna(summary.empty_reason)


def test_a_misspelt_campaign_target_fails_the_build(campaign_project):
    result = plan_campaigns(campaign_project, "openers_7", check=False)
    assert result.returncode != 0
    assert "relationships_stg_campaigns_target_segment" in result.stdout


def test_a_campaign_whose_segment_is_empty_warns_and_says_why(campaign_project):
    result = plan_campaigns(campaign_project, "big_spenders_7d")
    assert "WARNING: campaign spring_sale plans nobody: the target segment has status precision_unreachable" in (
        result.stdout
    )
    summary = campaign_project.query("select * from campaign_send_summary").iloc[0]
    assert summary.audience_users == 0
    assert "precision_unreachable" in summary.empty_reason


def test_a_segment_whose_fit_failed_warns_or_fails_the_build(campaign_project):
    with duckdb.connect(str(campaign_project.database)) as con:
        con.execute(
            "update segment_models set status = 'error', status_message = 'ValueError: boom' "
            "where segment_name = 'openers_7d'"
        )
    selected = ("segment_model_report", "warn_segment_fit_failed")
    result = campaign_project.build_selected(*selected)
    assert "Failure" not in result.stdout
    assert "WARNING: segment openers_7d has no model (status error): ValueError: boom" in result.stdout
    assert "Warning in test warn_segment_fit_failed" in result.stdout
    strict = campaign_project.build_selected(*selected, vars={"fail_on_segment_error": True}, check=False)
    assert strict.returncode != 0
    assert "Failure in test warn_segment_fit_failed" in strict.stdout


def test_the_readme_lists_every_reject_reason():
    reasons = pd.read_csv(Path(__file__).resolve().parents[2] / "seeds" / "reject_reasons.csv")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## When input is bad") : readme.index("## Reading the tables")]
    for row in reasons.itertuples(index=False):
        line = next(line for line in section.splitlines() if line.startswith(f"| {row.input.replace('_', ' ')}"))
        assert f"`{row.reject_reason}`" in line, (row.input, row.reject_reason)
