"""Best send times on simulated data, whose ground truth knows each user's preferred local hour."""

from __future__ import annotations

import pandas as pd


def test_daily_best_hour_is_the_users_preferred_hour(medium_build, medium_sim):
    truth = pd.read_parquet(medium_sim / "truth_users.parquet")[["user_id", "preferred_hour"]]
    best = medium_build.query(
        """
        with weekday_days as (
            select user_id, local_weekday, count(distinct local_date) as active_days
            from int_user_local_activity
            where days_before_cutoff < 60
            group by 1, 2
        )
        select b.user_id, b.local_weekday, b.daily_best_hour
        from user_best_send_hours as b
        inner join weekday_days as d using (user_id, local_weekday)
        where d.active_days >= 4
        """
    )
    merged = best.merge(truth, on="user_id")
    share = (merged["daily_best_hour"] == merged["preferred_hour"]).mean()
    print(f"daily best hour = true preferred hour for {share:.1%} of {len(merged):,} user-weekdays")
    assert len(merged) > 5000
    assert share >= 0.8


def test_personal_timing_beats_the_global_hour(medium_build):
    backtest = medium_build.query("select * from best_time_backtest").set_index("choice_method")["hit_rate"]
    print(backtest.to_dict())
    assert backtest["personal_best_hour"] > backtest["app_best_hour"] + 0.1
    assert backtest["app_best_hour"] > backtest["random_hour"]


def test_every_campaign_user_gets_a_rule(medium_build):
    plan = medium_build.query("select * from campaign_send_plan")
    members = medium_build.query("select segment_name, count(*) as n from segment_members group by 1")
    campaigns = medium_build.query("select * from campaigns")
    users = medium_build.query("select count(distinct user_id) as n from stg_events")["n"][0]
    for campaign in campaigns.itertuples(index=False):
        rows = plan[plan["campaign_id"] == campaign.campaign_id]
        if pd.isna(campaign.target_segment):
            assert len(rows) == users
        else:
            expected = members.set_index("segment_name")["n"].get(campaign.target_segment, 0)
            assert len(rows) == expected
    sent = plan[~plan["is_skipped"]]
    assert sent["send_local_at"].notna().all() and sent["send_utc_at"].notna().all()
    # never before the campaign's local time, never in quiet hours
    joined = sent.merge(campaigns.drop(columns=["send_date", "target_segment"]), on="campaign_id")
    local_time = joined["send_local_at"].dt.time
    assert (joined["send_local_at"].dt.normalize() == pd.to_datetime(joined["send_date"])).all()
    assert (local_time >= joined["send_local_time"]).all()
    start, end = joined["quiet_hours_start"], joined["quiet_hours_end"]
    wraps = start > end
    quiet = (wraps & ((local_time >= start) | (local_time < end))) | (
        ~wraps & (local_time >= start) & (local_time < end)
    )
    assert not quiet.any()
