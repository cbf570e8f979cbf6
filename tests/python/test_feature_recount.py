"""Brute-force recount: pandas over the raw simulated events must reproduce the feature and label tables
exactly, for a sample of users at every cutoff."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, project_on, simulate_to

SAMPLE_USERS = 150


def read_events(sim) -> pd.DataFrame:
    raw = pd.read_parquet(sim / "events.parquet")
    raw["user_id"] = raw["user_id"].astype(str)
    raw["event_name"] = raw["event_name"].astype(str)
    # Staging keeps one copy of exact duplicates.
    return raw.drop_duplicates(["user_id", "event_name", "event_time", "value"]).rename(
        columns={"event_time": "event_at"}
    )


@pytest.fixture(scope="module")
def events(small_sim) -> pd.DataFrame:
    return read_events(small_sim)


@pytest.fixture(scope="module")
def long_history(tmp_path_factory):
    """300 users over 420 days, ending before today: history windows of a year (max_history_days), most of
    which every window shares, so the feature models sum that part once for all windows."""
    sim = simulate_to(tmp_path_factory.mktemp("long_sim"), users=300, days=420, seed=11, start=dt.date(2025, 9, 1))
    project = project_on(sim, tmp_path_factory.mktemp("long_build"))
    project.build_models("--select", "+int_user_event_features", "+int_user_features")
    return project, read_events(sim)


def _days(delta: pd.Series) -> pd.Series:
    return delta.dt.total_seconds() / 86400.0


def recount_features(
    events: pd.DataFrame, cutoff: pd.Timestamp, past_days: int, history_days: int, users: list[str]
) -> pd.DataFrame:
    """The features of ``users`` at one (cutoff, past window), counted event by event: a plain loop over each
    user's and event's times (in numpy, sorted once), independent of the SQL."""
    start = np.datetime64(cutoff - pd.Timedelta(days=past_days), "ns")
    middle = start + np.timedelta64(12 * past_days, "h")
    end = np.datetime64(cutoff, "ns")
    history = events[
        (events["event_at"] < cutoff)
        & (events["event_at"] >= cutoff - pd.Timedelta(days=history_days))
        & events["user_id"].isin(users)
    ].sort_values(["user_id", "event_name", "event_at"], kind="stable")
    keys = list(zip(history["user_id"], history["event_name"], strict=True))
    times_all = history["event_at"].to_numpy("datetime64[ns]")
    values_all = history["value"].to_numpy(float)

    def days(delta) -> float:
        return float(delta / np.timedelta64(1, "ns")) / 86400e9

    rows = []
    first = 0
    while first < len(keys):
        last = first
        while last + 1 < len(keys) and keys[last + 1] == keys[first]:
            last += 1
        times = times_all[first : last + 1]  # sorted
        in_window = times >= start
        wt = times[in_window]
        n = len(wt)
        days_since_last = days(end - wt[-1]) if n else np.nan
        mean_gap = days(wt[-1] - wt[0]) / (n - 1) if n >= 2 else np.nan
        gaps = [days(later - earlier) for earlier, later in zip(wt[:-1], wt[1:], strict=True)]
        window_values = values_all[first : last + 1][in_window]
        rows.append(
            {
                "user_id": keys[first][0],
                "event_name": keys[first][1],
                "event_count": n,
                "days_since_last": days_since_last,
                "mean_gap_days": mean_gap,
                "max_gap_days": max(gaps) if n >= 2 else np.nan,
                "trend": (2 * int((wt >= middle).sum()) - n) / n if n else np.nan,
                "value_sum": float(np.nansum(window_values)),
                "lifetime_count": len(times),
                "lifetime_days_since_last": days(end - times[-1]),
                "recency_gap_ratio": days_since_last / mean_gap if n >= 2 and mean_gap > 0 else np.nan,
            }
        )
        first = last + 1
    return pd.DataFrame(rows)


def assert_features_match(project, events: pd.DataFrame, users: list[str]) -> int:
    """Every event feature of ``users`` at every (cutoff, past window) equals the pandas recount; returns
    the number of rows compared."""
    cutoffs = project.query("select distinct cutoff_at, past_days, history_days from int_cutoffs order by 1, 2")
    checked = 0
    for cutoff, past_days, history_days in cutoffs.itertuples(index=False):
        expected = recount_features(events, pd.Timestamp(cutoff), int(past_days), int(history_days), users)
        actual = project.query(
            """
            select * exclude (cutoff_at, past_days) from int_user_event_features
            where cutoff_at = ? and past_days = ? and list_contains(?, user_id)
            """,
            [cutoff, int(past_days), users],
        )
        key = ["user_id", "event_name"]
        assert len(actual) == len(expected), f"row count differs at {cutoff} / {past_days} days"
        merged = expected.merge(actual, on=key, suffixes=("_expected", "_actual"), how="outer", indicator=True)
        assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
        for column in expected.columns.difference(key):
            np.testing.assert_allclose(
                merged[f"{column}_actual"].astype(float),
                merged[f"{column}_expected"].astype(float),
                rtol=1e-9,
                atol=1e-9,
                equal_nan=True,
                err_msg=f"{column} at cutoff {cutoff}, past_days {past_days}",
            )
        checked += len(expected)
    return checked


def test_features_match_a_pandas_recount(small_build, events):
    panel = small_build.query("select user_id from int_training_panel order by panel_rank")["user_id"]
    assert assert_features_match(small_build, events, sorted(panel.sample(SAMPLE_USERS, random_state=1))) > 1000


def test_features_over_a_long_history_match_a_pandas_recount(long_history):
    project, events = long_history
    span = project.query(
        "select max(history_start_at) as shared_start, min(features_start_at) as shared_end, max(history_days) "
        "as history_days from int_feature_windows"
    ).iloc[0]
    # the case this test is for: a shared part of the history, longer than the rest of a history window
    assert span.history_days == 365
    assert (span.shared_end - span.shared_start).days > 180
    users = sorted(pd.Series(events["user_id"].unique()).sample(80, random_state=1))
    assert assert_features_match(project, events, users) > 1000
    # the user features over the same history: days since the last event of any kind (capped at the history
    # window, which it is when there is none) and active days in the past window
    features = project.query("select * from int_user_features")
    for (cutoff, past_days, history_days), rows in features.merge(
        project.query("select distinct cutoff_at, past_days, history_days from int_cutoffs"),
        on=["cutoff_at", "past_days"],
    ).groupby(["cutoff_at", "past_days", "history_days"]):
        cutoff = pd.Timestamp(cutoff)
        seen = events[(events["event_at"] < cutoff) & (events["event_at"] >= cutoff - pd.Timedelta(days=history_days))]
        last = _days(cutoff - seen.groupby("user_id")["event_at"].max()).clip(upper=history_days)
        recent = seen[seen["event_at"] >= cutoff - pd.Timedelta(days=past_days)]
        active = recent.groupby("user_id")["event_at"].apply(lambda t: t.dt.normalize().nunique())
        rows = rows.set_index("user_id")
        expected_last = last.reindex(rows.index).fillna(history_days)
        np.testing.assert_allclose(rows["days_since_last_event"], expected_last, rtol=1e-9, atol=1e-9)
        np.testing.assert_array_equal(rows["active_days"], active.reindex(rows.index).fillna(0).astype(int))


def test_labels_match_a_pandas_recount(small_build, events):
    definitions = small_build.query("select * from int_segment_definitions")
    labels = small_build.query("select * from int_segment_labels")
    assert labels["segment_name"].nunique() == len(definitions)
    sample = labels.groupby(["segment_name", "cutoff_at"]).head(200)
    for segment in definitions.itertuples(index=False):
        target = events[events["event_name"] == segment.target_event]
        rows = sample[sample["segment_name"] == segment.segment_name]
        for cutoff, group in rows.groupby("cutoff_at"):
            end = pd.Timestamp(cutoff) + pd.Timedelta(days=int(segment.future_days))
            window = target[(target["event_at"] >= cutoff) & (target["event_at"] < end)]
            per_user = window.groupby("user_id").agg(count=("event_at", "size"), sum=("value", "sum"))
            count = group["user_id"].map(per_user["count"]).fillna(0).astype(int)
            total = group["user_id"].map(per_user["sum"]).fillna(0.0)
            did = (count > 0) & (total >= (segment.min_value if pd.notna(segment.min_value) else -np.inf))
            label = did if segment.direction == "will_do" else ~did
            assert (group["target_event_count"].to_numpy() == count.to_numpy()).all(), segment.segment_name
            np.testing.assert_allclose(group["target_value_sum"], total, rtol=1e-9)
            assert (group["label"].to_numpy() == label.astype(int).to_numpy()).all(), segment.segment_name


def test_eligibility_matches_the_rules(small_build, events):
    definitions = small_build.query("select * from int_segment_definitions").set_index("segment_name")
    eligibility = small_build.query("select * from int_segment_eligibility where cutoff_role = 'training'")
    panel = set(small_build.query("select user_id from int_training_panel")["user_id"])
    cutoffs = small_build.query("select * from int_cutoffs where cutoff_role = 'training'")
    for row in cutoffs.itertuples(index=False):
        segment = definitions.loc[row.segment_name]
        start = pd.Timestamp(row.features_start_at)
        before = events[(events["event_at"] < row.cutoff_at) & events["user_id"].isin(panel)]
        rule_event = {
            "did_eligible_event": segment.eligible_event,
            "did_target_event": segment.target_event,
            "all_users": None,
        }[segment.population]
        if rule_event is None:
            expected = set(before["user_id"])
        else:
            recent = before[(before["event_at"] >= start) & (before["event_name"] == rule_event)]
            expected = set(recent["user_id"])
        actual = set(
            eligibility[
                (eligibility["segment_name"] == row.segment_name) & (eligibility["cutoff_at"] == row.cutoff_at)
            ]["user_id"]
        )
        assert actual == expected, f"{row.segment_name} at {row.cutoff_at}"


def test_the_leakage_tests_fail_on_a_wrong_count_and_check_a_sample_on_more_users(small_build, tmp_path):
    """assert_features_see_only_the_past fails on every feature row whose count is off, for every user up to
    data_test_sample_users, and on more users for about that many: those whose md5 of the user and the
    scoring cutoff falls below that many over the number of users."""
    project = DbtProject(workdir=tmp_path, vars=small_build.vars)
    shutil.copy(small_build.database, project.database)
    with duckdb.connect(str(project.database)) as con:
        users = [user for (user,) in con.execute("select user_id from int_users").fetchall()]
        scoring_cutoff = con.execute("select cast(scoring_cutoff_at as varchar) from int_data_span").fetchone()[0]
        con.execute(
            "update int_user_event_features set event_count = event_count + 1 "
            "where cutoff_at = (select scoring_cutoff_at from int_data_span)"
        )
        wrong_rows = dict(
            con.execute(
                "select user_id, count(*) from int_user_event_features "
                "where cutoff_at = (select scoring_cutoff_at from int_data_span) group by 1"
            ).fetchall()
        )
    sample_size = 500
    sampled = {
        user
        for user in users
        if int(hashlib.md5(f"{user}|{scoring_cutoff}".encode()).hexdigest()[:8], 16) / 2**32 < sample_size / len(users)
    }
    assert len(users) > 2000 and 400 < len(sampled) < 600
    for sample_vars, checked in (({}, set(users)), ({"data_test_sample_users": sample_size}, sampled)):
        result = project.dbt("test", "--select", "assert_features_see_only_the_past", vars=sample_vars, check=False)
        assert result.returncode == 1, result.stdout[-3000:]
        expected = sum(count for user, count in wrong_rows.items() if user in checked)
        assert f"Got {expected} results" in result.stdout, (expected, result.stdout[-3000:])


def test_scoring_tenure_may_exceed_the_training_range_only_by_the_first_days_offset(small_build, tmp_path):
    """assert_history_features_stay_in_the_training_range allows scoring tenures above the training cutoffs'
    by the time from the data's first midnight to its first event (where the oldest training history starts
    at that midnight, its tenures stop short of history_days by that much), and fails beyond it. Shown on a
    copy of a build whose training tenures are cut two days short of history_days."""
    project = DbtProject(workdir=tmp_path, vars=small_build.vars)
    shutil.copy(small_build.database, project.database)
    with duckdb.connect(str(project.database)) as con:
        con.execute(
            """
            update int_user_features set tenure_days = least(tenure_days, windows.history_days - 2)
            from (select distinct cutoff_at, past_days, history_days from int_feature_windows
                  where cutoff_role = 'training') as windows
            where int_user_features.cutoff_at = windows.cutoff_at and int_user_features.past_days = windows.past_days
            """
        )
        capped = con.execute(
            """
            select count(distinct features.past_days) from int_user_features as features
            inner join (select distinct cutoff_at, past_days, history_days from int_feature_windows
                        where cutoff_role = 'scoring') as windows
                on features.cutoff_at = windows.cutoff_at and features.past_days = windows.past_days
            where features.tenure_days = windows.history_days
            """
        ).fetchone()[0]
    assert capped > 0  # windows whose scoring tenures reach history_days: two days over the training ones' now

    def outcome(first_event_hours: int) -> subprocess.CompletedProcess:
        with duckdb.connect(str(project.database)) as con:
            hours = f"interval {first_event_hours} hour"
            con.execute(f"update int_data_span set first_event_at = data_start_date + {hours}")
        return project.dbt("test", "--select", "assert_history_features_stay_in_the_training_range", check=False)

    assert outcome(48).returncode == 0  # two days from the first midnight to the first event: within reach
    beyond = outcome(46)
    assert beyond.returncode == 1 and f"Got {capped} result" in beyond.stdout, beyond.stdout[-3000:]
