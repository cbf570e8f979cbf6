"""Nightly operation: 7 consecutive nights replayed on simulated data, then reruns and a backfill. The history
keeps one slice per night, reruns change nothing, a backfill touches no other night, entered/left rows
reconcile with the memberships they compare, realised precision appears exactly for the nights whose window
has passed and matches a recount in pandas, and the holdout is the same users every night."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import duckdb
import pandas as pd
import pytest
from conftest import PROJECT_DIR, DbtProject, dbt_in_process, project_on, simulate_to

import predseg.nightly

FIRST_NIGHT = dt.date(2026, 3, 21)
# 7 nights: every segment's window (3, 4 and 5 days) passes for at least two of them, so realised precision
# is judged for each segment, and some nights are still waiting at the end.
LONGEST_WINDOW = 5
NIGHTS = [FIRST_NIGHT + dt.timedelta(days=d) for d in range(LONGEST_WINDOW + 2)]
BACKFILLED = FIRST_NIGHT - dt.timedelta(days=1)
HOLDOUT_SHARE = 0.2
HOLDOUT_SALT = "spring"

SEGMENTS = [
    {"name": "likely_buyers_5d", "target_event": "purchase", "direction": "will_do", "past_days": 30,
     "future_days": 5, "precision": 0.5},
    {"name": "churn_risk_4d", "target_event": "app_open", "direction": "will_not_do", "past_days": 30,
     "future_days": 4, "precision": 0.5},
    {"name": "cart_abandoners_3d", "target_event": "purchase", "direction": "will_not_do",
     "eligible_event": "add_to_cart", "past_days": 7, "future_days": 3, "precision": 0.9},
]  # fmt: skip

HISTORY = {
    "segment_membership_history": "segment_name, as_of_date, user_id",
    "segment_changes": "segment_name, as_of_date, user_id",
    "segment_model_history": "segment_name, as_of_date, term_order",
    "segment_score_distribution": "segment_name, as_of_date, bin_number",
    "segment_stability": "segment_name, as_of_date",
    "segment_realised_precision": "segment_name, as_of_date",
}


def nightly(project: DbtProject, *args: str) -> list[dict]:
    """`python -m predseg.nightly <args>` (its main, in this process) on the project's database and folders;
    the nights' report."""
    report = project.workdir / "nights.json"
    _, env = project.invocation()
    env = {**env, "DBT_TARGET_PATH": str(project.workdir / "target"), "DBT_LOG_PATH": str(project.workdir / "logs")}
    with dbt_in_process(env) as (out, err):
        code = predseg.nightly.main([*args, "--vars", json.dumps(project.vars), "--report", str(report)])
    assert code == 0, f"{out.getvalue()[-4000:]}\n{err.getvalue()[-4000:]}"
    print(out.getvalue().splitlines()[-3:])
    return json.loads(report.read_text())


def history(project: DbtProject, with_run_ids: bool = False) -> dict[str, pd.DataFrame]:
    tables = {}
    for table, order in HISTORY.items():
        frame = project.query(f"select * from {table} order by {order}")
        if not with_run_ids:
            frame = frame.drop(columns=[c for c in ("run_id", "published_run_id") if c in frame.columns])
        tables[table] = frame.reset_index(drop=True)
    return tables


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    sim = simulate_to(tmp_path_factory.mktemp("nightly_sim"), users=3000, days=110, seed=21)
    workdir = tmp_path_factory.mktemp("nightly")
    # the demo's campaigns, each aimed at one of this test's segments (whose windows are shorter)
    campaigns = pd.read_csv(PROJECT_DIR / "seeds" / "demo_campaigns.csv", dtype=str)
    campaigns["target_segment"] = campaigns["target_segment"].replace(
        {"likely_buyers_7d": "likely_buyers_5d", "churn_risk_14d": "churn_risk_4d"}
    )
    assert set(campaigns["target_segment"].dropna()) <= {s["name"] for s in SEGMENTS}
    with duckdb.connect(str(workdir / "predseg.duckdb")) as con:
        con.register("rows", campaigns)
        con.execute("create table nightly_campaigns as select * from rows")
    project = project_on(
        sim,
        workdir,
        segments=SEGMENTS,
        campaigns_table="nightly_campaigns",
        training_panel_users=3000,
        holdout_share=HOLDOUT_SHARE,
        holdout_salt=HOLDOUT_SALT,
        # personas are not what this test is about: a quicker clustering
        persona_k_max=4,
        persona_bootstrap_runs=2,
    )
    # The nights build the history and exactly what it reads, without data tests and without writing
    # dbt's JSON artefacts (no best send times, personas, campaign plans or publication): the reruns and
    # the backfill below build everything, tests included. The history's keys and values are checked here.
    history_and_parents = " ".join("+" + table for table in HISTORY)
    rehearsal = ["--build-args", f"--exclude-resource-type test --no-write-json --select {history_and_parents}"]
    nights = nightly(project, "replay", "--from", str(NIGHTS[0]), "--to", str(NIGHTS[-1]), *rehearsal)
    assert [n["as_of"] for n in nights] == [str(d) for d in NIGHTS]
    print(f"replay: night 1 {nights[0]['seconds']} s, night {len(nights)} {nights[-1]['seconds']} s")
    return project, history(project, with_run_ids=True)


def test_history_holds_one_slice_per_night(replayed):
    project, tables = replayed
    models = tables["segment_model_history"]
    assert sorted(models["as_of_date"].dt.date.unique()) == NIGHTS
    for table, frame in tables.items():
        night = "judged_as_of_date" if table == "segment_realised_precision" else "as_of_date"
        runs = frame.groupby(night)["run_id"].nunique()
        assert (runs == 1).all(), f"{table}: a night holds rows of more than one run"
        assert set(frame[night].dt.date) <= set(NIGHTS)
    scored = models[(models["term_order"] == 0) & models["is_scored"]]
    assert len(scored) >= 2 * len(NIGHTS)  # the segments are scored most nights
    members = tables["segment_membership_history"]
    assert members.groupby(["segment_name", "as_of_date"]).size().min() > 0
    # the night's members are the members that run published (member counts agree with the model history)
    sizes = members.groupby(["segment_name", "as_of_date"]).size().rename("members").reset_index()
    joined = scored.merge(sizes, on=["segment_name", "as_of_date"], how="left").fillna({"members": 0})
    assert (joined["members"] == joined["audience_size"]).all()


def test_entered_and_left_reconcile_with_the_memberships_compared(replayed):
    _, tables = replayed
    members = tables["segment_membership_history"]
    changes = tables["segment_changes"]
    models = tables["segment_model_history"]
    scored = models[(models["term_order"] == 0) & models["is_scored"]]
    by_night = {key: set(frame["user_id"]) for key, frame in members.groupby(["segment_name", "as_of_date"])}
    checked = 0
    for segment, nights in scored.groupby("segment_name"):
        ordered = sorted(nights["as_of_date"])
        for previous, night in zip([None, *ordered[:-1]], ordered, strict=True):
            rows = changes[(changes["segment_name"] == segment) & (changes["as_of_date"] == night)]
            assert (
                rows["previous_as_of_date"].isna().all()
                if previous is None
                else (rows["previous_as_of_date"] == previous).all()
            )
            now = by_night.get((segment, night), set())
            before = by_night.get((segment, previous), set()) if previous is not None else set()
            assert set(rows.loc[rows["change_type"] == "entered", "user_id"]) == now - before
            assert set(rows.loc[rows["change_type"] == "left", "user_id"]) == before - now
            checked += 1
    assert checked >= 2 * len(NIGHTS)
    assert (changes["change_type"] == "left").any() and (changes["previous_as_of_date"].notna()).any()
    entrants = changes[changes["change_type"] == "entered"]
    assert entrants["reason_1"].notna().mean() > 0.9 and entrants["score"].notna().all()


def test_realised_precision_judges_exactly_the_elapsed_nights_as_pandas_does(replayed, tmp_path):
    project, tables = replayed
    realised = tables["segment_realised_precision"]
    models = tables["segment_model_history"]
    scored = models[(models["term_order"] == 0) & models["is_scored"]]
    last = pd.Timestamp(NIGHTS[-1])
    elapsed = scored[scored["as_of_date"] + pd.to_timedelta(scored["future_days"], unit="D") <= last]
    waiting = scored[scored["as_of_date"] + pd.to_timedelta(scored["future_days"], unit="D") > last]
    assert len(waiting) > 0 and len(elapsed) >= 2 + 3 + 4  # the 5-, 4- and 3-day windows' passed nights
    judged = elapsed.groupby("segment_name").size()
    assert set(judged.index) == {s["name"] for s in SEGMENTS} and judged.min() >= 2, judged  # each, twice at least
    key = ["segment_name", "as_of_date"]
    assert set(map(tuple, realised[key].values.tolist())) == set(map(tuple, elapsed[key].values.tolist()))
    assert (
        realised["judged_as_of_date"] >= realised["as_of_date"] + pd.to_timedelta(realised["future_days"], unit="D")
    ).all()

    events = pd.read_parquet(project.vars["events_path"])
    events["event_date"] = pd.to_datetime(events["event_time"]).dt.tz_localize(None).dt.normalize()
    first_seen = events.groupby("user_id")["event_date"].min()
    members = tables["segment_membership_history"]
    definitions = {s["name"]: s for s in SEGMENTS}
    for row in realised.itertuples():
        segment = definitions[row.segment_name]
        night = row.as_of_date
        history_row = elapsed[(elapsed["segment_name"] == row.segment_name) & (elapsed["as_of_date"] == night)].iloc[0]
        window = events[
            (events["event_date"] > night) & (events["event_date"] <= night + pd.Timedelta(days=row.future_days))
        ]
        did = set(window.loc[window["event_name"] == segment["target_event"], "user_id"])
        if "eligible_event" in segment or segment["direction"] == "will_not_do":
            population_event = segment.get("eligible_event", segment["target_event"])
            past = events[
                (events["event_date"] <= night)
                & (events["event_date"] > night - pd.Timedelta(days=int(history_row["past_days"])))
                & (events["event_name"] == population_event)
            ]
            population = set(past["user_id"])
        else:
            population = set(first_seen[first_seen <= night].index)
        night_members = set(
            members.loc[(members["segment_name"] == row.segment_name) & (members["as_of_date"] == night), "user_id"]
        )
        population |= night_members
        came_true = did if segment["direction"] == "will_do" else population - did
        true_positives = len(night_members & came_true)
        positives = len(population & came_true)
        assert row.audience_size == len(night_members)
        assert row.true_positives == true_positives, (row.segment_name, night)
        assert row.eligible_users == len(population), (row.segment_name, night)
        assert row.positives == positives, (row.segment_name, night)
        if night_members:
            assert row.realised_precision == pytest.approx(true_positives / len(night_members))
            assert row.realised_precision_low <= row.realised_precision <= row.realised_precision_high
            assert row.is_promise_missed == (row.realised_precision_high < row.promised_precision)
        assert row.promised_precision == pytest.approx(segment["precision"])


def test_rerunning_a_night_changes_nothing_and_a_backfill_touches_no_other_night(replayed):
    project, before = replayed
    before_values = history(project)
    nightly(project, "night", "--as-of", str(NIGHTS[-2]))  # not the last night: a later night depends on it
    after_reruns = history(project)
    for table in HISTORY:
        pd.testing.assert_frame_equal(after_reruns[table], before_values[table], check_like=True, obj=table)

    rerun_ids = history(project, with_run_ids=True)
    nightly(project, "night", "--as-of", str(BACKFILLED))
    after = history(project, with_run_ids=True)
    for table, frame in after.items():
        night = "judged_as_of_date" if table == "segment_realised_precision" else "as_of_date"
        others = frame[frame[night].dt.date != BACKFILLED].reset_index(drop=True)
        pd.testing.assert_frame_equal(others, rerun_ids[table], check_like=True, obj=table)
    backfilled = after["segment_model_history"]
    assert (backfilled["as_of_date"].dt.date == BACKFILLED).any()
    assert sorted(backfilled["as_of_date"].dt.date.unique()) == [BACKFILLED, *NIGHTS]
    assert before["segment_model_history"]["run_id"].nunique() == len(NIGHTS)


def expected_holdout(segment: str, user: str) -> bool:
    digest = hashlib.md5(f"{HOLDOUT_SALT}|{segment}|{user}".encode()).hexdigest()
    return int(digest[:8], 16) / 2**32 < HOLDOUT_SHARE


def test_the_holdout_is_the_same_users_every_night_and_never_contacted(replayed):
    """After the reruns and the backfill (the last test), which built the campaign plans."""
    project, _ = replayed
    members = history(project)["segment_membership_history"]
    assert (members.groupby(["segment_name", "user_id"])["is_holdout"].nunique() == 1).all()
    pairs = members.drop_duplicates(["segment_name", "user_id"])
    assert len(pairs) > 1000
    assert pairs["is_holdout"].tolist() == [
        expected_holdout(s, u) for s, u in zip(pairs["segment_name"], pairs["user_id"], strict=True)
    ]
    assert abs(pairs["is_holdout"].mean() - HOLDOUT_SHARE) < 0.04

    plan = project.query(
        "select plan.campaign_id, count(*) as holdout_rows from campaign_send_plan as plan "
        "inner join int_campaigns as campaigns on plan.campaign_id = campaigns.campaign_id "
        "inner join segment_members as members on campaigns.target_segment = members.segment_name "
        "and plan.user_id = members.user_id where members.is_holdout group by 1"
    )
    assert plan.empty
    summary = project.query(
        "select summary.campaign_id, summary.holdout_users, count(members.user_id) as expected "
        "from campaign_send_summary as summary left join segment_members as members "
        "on summary.target_segment = members.segment_name and members.is_holdout group by 1, 2"
    )
    assert (summary["holdout_users"] == summary["expected"]).all()
