"""Bad input rows land in stg_events_rejected with their reason; good rows (date-only times, offsets,
padding, odd event names) still flow."""

from __future__ import annotations

import csv

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
    ("u4", "app_open", "2026-03-03 09:00:00", "", None),
    ("u4", "app_open", "2026-03-03 09:00:00", "", "duplicate"),
    ("u4", "app_open", "2026-03-03 09:00:00", "", "duplicate"),
]


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory) -> DbtProject:
    workdir = tmp_path_factory.mktemp("bad_input")
    path = workdir / "events.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["user_id", "event_name", "event_time", "value"])
        writer.writerows(row[:4] for row in ROWS)
    project = DbtProject(workdir=workdir, vars={"events_path": str(path), "user_attributes_path": None})
    project.dbt("run", "--select", "+stg_events_rejected")
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
    assert ("u3", "add_to_cart") in by_user
    assert ("u5", ODD_EVENT) in by_user
    assert by_user[("u4", "app_open")].duplicate_count == 2


def test_nothing_is_lost(bad_input):
    counts = bad_input.query(
        "select (select count(*) from stg_events) + (select sum(duplicate_count) from stg_events) as kept, "
        "(select count(*) from stg_events_rejected where reject_reason != 'duplicate') as invalid"
    )
    assert int(counts["kept"][0] + counts["invalid"][0]) == len(ROWS)
