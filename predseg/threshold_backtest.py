"""Compare threshold rules on a built database: how often each keeps the precision promise.

For every segment and rule, the models are refit exactly as segment_models does; each rule chooses a
threshold on one cutoff's out-of-time predictions and is checked on the next newer cutoff. Prints one row
per segment and rule. Usage: python -m predseg.threshold_backtest target/predseg.duckdb
"""

from __future__ import annotations

import sys

import duckdb
import numpy as np

from predseg.modeling import THRESHOLD_RULES, Settings, fit_segment, load_segment_inputs


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    database = args[0] if args else "target/predseg.duckdb"
    con = duckdb.connect(database, read_only=True)
    columns = con.execute("select * from int_user_features limit 0").df().columns
    attributes = [c.removeprefix("attribute_") for c in columns if c.startswith("attribute_")]
    windows = con.execute("select * from int_cutoffs where cutoff_role = 'scoring'").df().set_index("segment_name")
    for view, table in [
        ("predseg_training_rows", "int_segment_training_rows"),
        ("predseg_event_features", "int_user_event_features"),
        ("predseg_user_features", "int_user_features"),
    ]:
        con.execute(f"create temp view {view} as select * from {table}")
    definitions = con.execute("select * from int_segment_definitions order by segment_order").df()
    print("segment               rule    requested  pairs  held  mean_shortfall  mean_realised  audience_share")
    totals: dict[str, list] = {rule: [0, 0, []] for rule in THRESHOLD_RULES}
    for segment in definitions.itertuples(index=False):
        listed = segment.feature_events
        events = list(listed) if hasattr(listed, "tolist") or isinstance(listed, list) else None
        rows, event_rows, user_rows = load_segment_inputs(con, segment.segment_name, events)
        for rule in THRESHOLD_RULES:
            window = windows.loc[segment.segment_name]
            settings = Settings(
                past_days=int(window.past_days),
                history_days=int(window.history_days),
                requested_precision=float(segment.requested_precision),
                threshold_rule=rule,
            )
            fit = fit_segment(rows, event_rows, user_rows, attributes, settings)
            m = fit.metrics
            if fit.status not in ("ok", "precision_unreachable"):
                print(f"{segment.segment_name:<21} {rule:<7} {fit.status}")
                continue
            detail = fit.metrics.get("backtest_detail", [])
            realised = np.mean([d[0] for d in detail]) if detail else float("nan")
            share = np.mean([d[1] for d in detail]) if detail else float("nan")
            shortfall = m["backtest_mean_shortfall"]
            print(
                f"{segment.segment_name:<21} {rule:<7} {settings.requested_precision:9.2f}  {m['backtest_pairs']:5d}"
                f"  {m['backtest_held']:4d}  {shortfall if shortfall is not None else float('nan'):14.3f}"
                f"  {realised:13.3f}  {share:14.4f}"
            )
            totals[rule][0] += m["backtest_pairs"]
            totals[rule][1] += m["backtest_held"]
            totals[rule][2].extend(max(0.0, settings.requested_precision - d[0]) for d in detail)
    for rule, (pairs, held, shortfalls) in totals.items():
        mean = np.mean(shortfalls) if shortfalls else float("nan")
        print(f"all segments, rule {rule}: held {held} of {pairs} pairs, mean shortfall {mean:.3f}")


if __name__ == "__main__":
    main()
