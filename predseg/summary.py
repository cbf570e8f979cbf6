"""Print a short summary of a built project database: input quality and every segment's state."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    query = "select count(*) from information_schema.tables where table_name = ?"
    return con.execute(query, [name]).fetchone()[0] > 0


def _print_rows(title: str, header: list[str], rows: list[tuple]) -> None:
    print(f"\n{title}")
    if not rows:
        print("  (none)")
        return
    cells = [[("" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)) for v in r] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    print("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for c in cells:
        print("  " + "  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))


def summarize(database: Path) -> None:
    con = duckdb.connect(str(database), read_only=True)
    events, users, first, last = con.execute(
        "select count(*), count(distinct user_id), min(event_at), max(event_at) from stg_events"
    ).fetchone()
    print(f"events: {events:,} from {users:,} users, {first} .. {last}")
    rejected = con.execute(
        "select reject_reason, count(*) from stg_events_rejected group by 1 order by 2 desc"
    ).fetchall()
    _print_rows("rejected event rows", ["reason", "rows"], rejected)

    if _table_exists(con, "segment_model_report"):
        rows = con.execute(
            """
            select segment_name, status, audience_size, eligible_users, validation_auc, baseline_auc,
                   requested_precision, expected_precision,
                   backtest_held || ' of ' || backtest_pairs as backtest, launch_check, refit_as_of_date
            from segment_model_report order by segment_name
            """
        ).fetchall()
        _print_rows(
            "segments",
            [
                "segment",
                "status",
                "size",
                "eligible",
                "val_auc",
                "baseline_auc",
                "asked",
                "expected_today",
                "backtest_held",
                "launch_check",
                "refit_as_of",
            ],
            rows,
        )
        messages = con.execute(
            "select segment_name, status_message from segment_model_report where status != 'ok' order by 1"
        ).fetchall()
        for name, message in messages:
            print(f"  {name}: {message}")
    if _table_exists(con, "campaign_send_summary"):
        rows = con.execute(
            """
            select campaign_id,
                   concat_ws(' & ', target_segment, 'persona ' || target_persona, case when target_segment is null
                       and target_persona is null then '(everyone)' end),
                   audience_users, planned_users, coalesce(empty_reason, '')
            from campaign_send_summary order by 1
            """
        ).fetchall()
        _print_rows("campaigns", ["campaign", "target", "audience", "planned", "empty_because"], rows)
    _summarize_best_time(con)
    _summarize_personas(con)


def _summarize_personas(con: duckdb.DuckDBPyConnection) -> None:
    if not _table_exists(con, "persona_profiles"):
        return
    (message,) = con.execute("select any_value(status_message) from persona_model_report").fetchone()
    rows = con.execute(
        "select persona_id, persona_name, user_count, round(user_share, 3) from persona_profiles order by 1"
    ).fetchall()
    _print_rows(f"personas ({message})", ["id", "name", "users", "share"], rows)
    rows = con.execute(
        """
        select segment_name, grouped_by, round(max(information_gain_share), 4)
        from persona_actionability group by 1, 2 order by 1, 3 desc
        """
    ).fetchall()
    _print_rows("outcome separation (information gain share)", ["segment", "grouped by", "separation"], rows)


def _summarize_best_time(con: duckdb.DuckDBPyConnection) -> None:
    if not _table_exists(con, "campaign_send_plan"):
        return
    rows = con.execute(
        """
        select campaign_id, send_rule, count(*) as users
        from campaign_send_plan group by 1, 2 order by 1, 3 desc, 2
        """
    ).fetchall()
    _print_rows("campaign send plans (users by rule)", ["campaign", "rule", "users"], rows)
    rows = con.execute(
        "select choice_method, active_user_days, hits, hit_rate from best_time_backtest order by hit_rate desc"
    ).fetchall()
    _print_rows(
        "best-time backtest (active in the chosen hour, last week)", ["method", "user_days", "hits", "hit_rate"], rows
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    summarize(Path(args[0] if args else "target/predseg.duckdb"))


if __name__ == "__main__":
    main()
