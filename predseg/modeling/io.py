"""Reading a segment's bounded training sample from the database."""

from __future__ import annotations

import pandas as pd


def load_segment_inputs(
    session, segment_name: str, feature_events: list[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read one segment's sampled training rows and their features (the views are created by the
    segment_models dbt model). The sample is bounded in SQL, so memory does not grow with the events. Rows
    come in a fixed order: the solver adds them up in that order, so the coefficients are the same to the
    last bit on every run."""
    rows = session.execute(
        "select cutoff_at, cutoff_number, user_id, label from predseg_training_rows where segment_name = ? "
        "order by cutoff_at, user_id",
        [segment_name],
    ).df()
    event_filter = "" if feature_events is None else "and list_contains(?, f.event_name)"
    params = [segment_name] + ([list(feature_events)] if feature_events is not None else [])
    events = session.execute(
        f"""
        select f.*
        from predseg_training_rows as r
        inner join predseg_event_features as f
            on r.cutoff_at = f.cutoff_at and r.past_days = f.past_days and r.user_id = f.user_id
        where r.segment_name = ? {event_filter}
        order by f.cutoff_at, f.user_id, f.event_name
        """,
        params,
    ).df()
    users = session.execute(
        """
        select u.*
        from predseg_training_rows as r
        inner join predseg_user_features as u
            on r.cutoff_at = u.cutoff_at and r.past_days = u.past_days and r.user_id = u.user_id
        where r.segment_name = ?
        order by u.cutoff_at, u.user_id
        """,
        [segment_name],
    ).df()
    return rows, events, users
