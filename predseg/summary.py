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
                   requested_precision, validation_precision, backtest_last_realised_precision
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
                "expected_prec",
                "realised_later",
            ],
            rows,
        )
        messages = con.execute(
            "select segment_name, status_message from segment_model_report where status != 'ok' order by 1"
        ).fetchall()
        for name, message in messages:
            print(f"  {name}: {message}")
    else:
        rows = con.execute(
            """
            select d.segment_name, d.direction, d.target_event, count(distinct l.cutoff_at), count(*),
                   avg(l.label)
            from int_segment_definitions as d
            left join int_segment_labels as l on d.segment_name = l.segment_name
            group by 1, 2, 3, d.segment_order order by d.segment_order
            """
        ).fetchall()
        _print_rows(
            "segments (training data)",
            ["segment", "direction", "target", "cutoffs", "labelled_rows", "base_rate"],
            rows,
        )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    summarize(Path(args[0] if args else "target/predseg.duckdb"))


if __name__ == "__main__":
    main()
