"""Reading a segment's bounded training sample from the database, on either engine: a DuckDB connection
(dbt-duckdb's Python models) or a Spark session (Databricks, or the Spark test), with DuckDB relations or
Spark DataFrames for dbt.ref()."""

from __future__ import annotations

import pandas as pd


def to_pandas(frame) -> pd.DataFrame:
    """A DuckDB relation or a Spark DataFrame as a pandas frame."""
    return frame.toPandas() if hasattr(frame, "toPandas") else frame.df()


def register_view(frame, name: str) -> None:
    """Name a DuckDB relation or a Spark DataFrame for the session's SQL."""
    if hasattr(frame, "createOrReplaceTempView"):
        frame.createOrReplaceTempView(name)
    else:
        frame.create_view(name, replace=True)


def drop_columns(frame, names: tuple[str, ...]):
    """A DuckDB relation or a Spark DataFrame without those of ``names`` that it has."""
    present = [name for name in names if name in frame.columns]
    return frame.drop(*present) if present else frame


def query(session, sql: str, params: list) -> pd.DataFrame:
    """A query with positional `?` parameters, on a DuckDB connection or a Spark session."""
    if hasattr(session, "execute"):
        return session.execute(sql, params).df()
    return session.sql(sql, args=params).toPandas()


def load_segment_inputs(
    session,
    segment_name: str,
    feature_events: list[str] | None,
    max_events: int | None = None,
    kept_events: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read one segment's sampled training rows and their features (the views are created by the
    segment_models dbt model). The sample is bounded in SQL, so memory does not grow with the events. Rows
    come in a fixed order: the solver adds them up in that order, so the coefficients are the same to the
    last bit on every run.

    Without the segment's own ``feature_events``, at most ``max_events`` event names give features: those
    the most training rows did (ties by name), and always ``kept_events`` (the target and eligible events).
    Every event name is a score of terms, so a log of thousands of names (one per page or item) would make a
    design matrix of tens of gigabytes. The frame's ``attrs["events_seen"]`` holds how many there were."""
    rows = query(
        session,
        "select cutoff_at, cutoff_number, user_id, label from predseg_training_rows where segment_name = ? "
        "order by cutoff_at, user_id",
        [segment_name],
    )
    if feature_events is not None:  # the segment's own list of events to learn from
        chosen, params = f"sample.event_name in ({', '.join('?' for _ in feature_events)})", list(feature_events)
    elif max_events is not None:
        kept = ", ".join("?" for _ in kept_events) or "null"
        chosen, params = f"(ranked.event_rank <= ? or sample.event_name in ({kept}))", [max_events, *kept_events]
    else:
        chosen, params = "true", []
    events = query(
        session,
        f"""
        with sample as (
            select f.*
            from predseg_training_rows as r
            inner join predseg_event_features as f
                on r.cutoff_at = f.cutoff_at and r.past_days = f.past_days and r.user_id = f.user_id
            where r.segment_name = ?
        ),
        ranked as (
            select
                event_name,
                row_number() over (order by count(*) desc, event_name) as event_rank,
                count(*) over () as events_seen
            from sample
            group by event_name
        )
        select sample.*, ranked.events_seen as predseg_events_seen
        from sample
        inner join ranked on sample.event_name = ranked.event_name
        where {chosen}
        order by sample.cutoff_at, sample.user_id, sample.event_name
        """,
        [segment_name, *params],
    )
    events.attrs["events_seen"] = int(events["predseg_events_seen"].iloc[0]) if len(events) else 0
    events = events.drop(columns="predseg_events_seen")
    users = query(
        session,
        """
        select u.*
        from predseg_training_rows as r
        inner join predseg_user_features as u
            on r.cutoff_at = u.cutoff_at and r.past_days = u.past_days and r.user_id = u.user_id
        where r.segment_name = ?
        order by u.cutoff_at, u.user_id
        """,
        [segment_name],
    )
    return rows, events, users
