"""Judge segment rules on drifting data by what really happened after as_of.

For each drift scenario (predseg.retail), several as_of dates, P3 in {7, 30} and precision in {0.6, 0.7,
0.8, 0.9}: build the feature and label layers with dbt as of that day, apply each rule to select today's
audience, and compare with the purchases the simulation made in the P3 days after as_of. Prints, per
scenario and rule: cells held strictly (realised >= requested), held within 0.02, mean shortfall, mean
recall, empty cells, and the ROC AUC of today's scores.

Usage: python -m predseg.drift_eval [--scenarios ageing growth seasonal] [--as-of-dates 8] [--out DIR]
       [--precisions 0.5 0.55] (other requested precisions than 0.6-0.9)
       [--customers N] (N customers in every scenario instead of each scenario's own size)
       [--vars '{training_panel_users: 25000}'] (more dbt vars for every build: judge another setting)
       [--as-of-spacing 15] (days between two as_of dates; 14 by default. A spacing that is not a multiple of
       7 spreads the as_of dates over the days of the week)
       [--refit-on-weekly-grid] (build each date's database first as of its refit day on a weekly calendar
       grid, 0 to 6 days before, so that the date's own build keeps that refit day's cutoffs as a scheduled
       night between two weekly refits does; without it every date is a refit day, its database being new)
"""

from __future__ import annotations

import argparse
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from predseg.dbt_command import PROJECT_DIR, dbt_invocation, parse_vars
from predseg.modeling import FeatureCatalog, Settings, fit_segment
from predseg.modeling.calibration import sigmoid
from predseg.modeling.fit import fit_logistic, project
from predseg.modeling.folds import predict_folds, purged_folds
from predseg.modeling.io import load_segment_inputs
from predseg.modeling.selection import apply_rule
from predseg.modeling.terms import build_terms, design_matrix
from predseg.modeling.thresholds import choose_threshold
from predseg.retail import RetailConfig, simulate_retail, write_retail

FUTURE_DAYS = (7, 30)
PRECISIONS = (0.6, 0.7, 0.8, 0.9)
MODEL_CUTOFFS = 6
STRIDE = 7
AS_OF_SPACING = 14  # days between two as_of dates: all on one day of the week
MIN_PREDICTED = 30
SCENARIO_SIZES = {"ageing": 20000, "growth": 8000, "seasonal": 12000}
# the rules of predseg.modeling compared (threshold_rule, calibration_rule), by the names the table uses
RULES = {
    "expected": ("expected", "newest"),
    "expected_trend": ("expected", "trend"),
    "expected_uncalibrated": ("expected", "none"),
    "wilson": ("wilson", "newest"),
    "point": ("point", "newest"),
}


def segments(precisions: tuple[float, ...] = PRECISIONS) -> list[dict]:
    return [
        {
            "name": f"buy_{f}d_p{round(p * 100)}",
            "target_event": "purchase",
            "direction": "will_do",
            "past_days": 90,
            "future_days": f,
            "precision": p,
        }
        for f in FUTURE_DAYS
        for p in precisions
    ]


def run_dbt(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """A dbt command line run from the project folder, its output captured."""
    return subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)


# the vars every build of the evaluation sets itself (its cells are defined by them)
EVALUATION_VARS = ("events_path", "as_of", "segments", "training_cutoffs", "cutoff_stride_days")


def build(
    workdir: Path,
    events_path: Path,
    as_of: str,
    training_cutoffs: int,
    reuse: bool = False,
    extra_vars: dict | None = None,
    precisions: tuple[float, ...] = PRECISIONS,
    refit_on_weekly_grid: bool = False,
) -> Path:
    database = workdir / f"as_of_{as_of}{'_weekly' if refit_on_weekly_grid else ''}.duckdb"
    if reuse and database.exists():
        return database
    dbt_vars = {
        "events_path": str(events_path),
        "segments": segments(precisions),
        "training_cutoffs": training_cutoffs,
        "cutoff_stride_days": STRIDE,
        **(extra_vars or {}),
    }
    # every table evaluate_segment reads, and what they need
    selected = ["+int_segment_training_rows", "+int_segment_eligibility", "+int_user_features", "feature_catalog"]
    nights = [as_of]
    lag = weekly_grid_lag(as_of) if refit_on_weekly_grid else 0
    if lag:
        # the refit day's night first: its scoring cutoff, the midnight after it, is on the grid
        nights.insert(0, str((pd.Timestamp(as_of) - pd.Timedelta(days=lag)).date()))
    for night in nights:
        cmd, env = dbt_invocation(["run", "--select", *selected], database, workdir, {**dbt_vars, "as_of": night})
        result = run_dbt(cmd, env)
        if result.returncode != 0:
            raise RuntimeError(result.stdout[-4000:])
    return database


def weekly_grid_lag(as_of: str) -> int:
    """Days from the latest as_of at or before ``as_of`` whose scoring cutoff's day number since 1970-01-01 is
    a multiple of 7 (a weekly grid of refit days) to ``as_of``: 0 to 6."""
    return ((pd.Timestamp(as_of) - pd.Timestamp("1970-01-01")).days + 1) % 7


@dataclass
class Cell:
    segment: str
    future_days: int
    precision: float
    as_of: str
    results: dict = field(default_factory=dict)  # rule -> (realised, recall, size) or None when empty
    auc: float | None = None
    reachable: bool = False  # a threshold reaches the request on the validation cutoff (its Wilson bound)


def evaluate_segment(con, segment: dict, purchases: pd.DataFrame) -> Cell:
    name, f, p = segment["name"], segment["future_days"], segment["precision"]
    rows, events, users = load_segment_inputs(con, name, None)
    window = con.execute("select * from int_cutoffs where segment_name = ? order by cutoff_number", [name]).df()
    scoring = window[window["cutoff_role"] == "scoring"].iloc[0]
    cutoffs = window[window["cutoff_role"] == "training"][["cutoff_number", "cutoff_at"]]
    past_days, history_days, s_at = int(scoring.past_days), int(scoring.history_days), scoring.cutoff_at
    cell = Cell(name, f, p, str(scoring.as_of_date)[:10])
    rows = rows.sort_values(["cutoff_number", "user_id"], kind="stable").reset_index(drop=True)
    labels = rows["label"].to_numpy(dtype=int)
    numbers = rows["cutoff_number"].to_numpy()
    catalog = FeatureCatalog.load(con)
    terms = build_terms(events, users, [], past_days, history_days, catalog)
    matrix = design_matrix(rows, events, users, terms)

    today = con.execute(
        "select cutoff_at, user_id from int_segment_eligibility where segment_name = ? and cutoff_role = 'scoring'",
        [name],
    ).df()
    today_events = con.execute(
        "select * from int_user_event_features where cutoff_at = ? and past_days = ?", [s_at, past_days]
    ).df()
    today_users = con.execute(
        "select * from int_user_features where cutoff_at = ? and past_days = ?", [s_at, past_days]
    ).df()
    today_matrix = design_matrix(today, today_events, today_users, terms)
    bought = purchases[(purchases["event_at"] >= s_at) & (purchases["event_at"] < s_at + pd.Timedelta(days=f))]
    truth = today["user_id"].isin(set(bought["user_id"])).to_numpy().astype(int)

    def judge(members: np.ndarray | None):
        if members is None or not members.any():
            return None
        tp = int(truth[members].sum())
        return (tp / members.sum(), tp / max(truth.sum(), 1), int(members.sum()))

    # the rule before purged folds and calibration: a validation model on cutoffs 2..N (not purged), the
    # Wilson threshold on cutoff 1, carried over to today's scores
    model_rows = numbers <= MODEL_CUTOFFS
    older, newest = (numbers >= 2) & model_rows, numbers == 1
    scoring_model = fit_logistic(matrix[model_rows], labels[model_rows], terms, 1.0)
    today_logits = scoring_model.logit(project(today_matrix, terms, scoring_model))
    if 0 < truth.sum() < len(truth):
        cell.auc = float(roc_auc_score(truth, today_logits))
    if labels[older].min() != labels[older].max():
        validation = fit_logistic(matrix[older], labels[older], terms, 1.0)
        scores = validation.predict_proba(project(matrix[newest], terms, validation))
        chosen = choose_threshold(scores, labels[newest], p, MIN_PREDICTED, "wilson")
        members = None if chosen.threshold is None else sigmoid(today_logits) >= chosen.threshold
        cell.results["previous"] = judge(members)

    for name, (rule, calibration) in RULES.items():
        settings = Settings(
            past_days=past_days,
            requested_precision=p,
            future_days=f,
            history_days=history_days,
            model_cutoffs=MODEL_CUTOFFS,
            min_predicted_positives=MIN_PREDICTED,
            threshold_rule=rule,
            calibration=calibration,
        )
        fit = fit_segment(rows, events, users, [], settings, catalog)
        if fit.status != "ok":
            cell.results[name] = None
            continue
        model = fit.models["scoring"]
        logits = model.logit(project(design_matrix(today, today_events, today_users, model.terms), model.terms, model))
        cell.results[name] = judge(apply_rule(logits, fit.calibration, settings))
        if name == "wilson":
            cell.reachable = fit.calibration.threshold is not None

    # pooling: the Wilson threshold chosen on the newest three purged folds together (more rows, so a
    # smaller margin for small, high-precision segments), carried over to today
    folds = purged_folds(cutoffs, f, MODEL_CUTOFFS)[:3]
    pooled = predict_folds(folds, matrix, labels, numbers, terms, 1.0)
    if pooled:
        chosen = choose_threshold(
            np.concatenate([q.probabilities for q in pooled.values()]),
            np.concatenate([q.labels for q in pooled.values()]),
            p,
            MIN_PREDICTED,
            "wilson",
        )
        members = None if chosen.threshold is None else sigmoid(today_logits) >= chosen.threshold
        cell.results["wilson_pooled"] = judge(members)
    return cell


def summarize(cells: list[Cell]) -> pd.DataFrame:
    records = []
    rules = sorted({r for c in cells for r in c.results})
    for rule in rules:
        done = [(c, c.results.get(rule)) for c in cells if rule in c.results]
        filled = [(c, r) for c, r in done if r is not None]
        realised = np.array([r[0] for _, r in filled])
        requested = np.array([c.precision for c, _ in filled])
        records.append(
            {
                "rule": rule,
                "cells": len(done),
                "non_empty": len(filled),
                "held": f"{(realised >= requested).mean():.0%}" if filled else "-",
                "within_0.02": f"{(realised >= requested - 0.02).mean():.0%}" if filled else "-",
                "mean_shortfall": float(np.maximum(requested - realised, 0).mean()) if filled else np.nan,
                "mean_recall": float(np.mean([r[1] for _, r in filled])) if filled else np.nan,
                "empty": len(done) - len(filled),
                "empty_but_reachable": sum(1 for c, r in done if r is None and c.reachable),
                "recall_vs_current": paired_recall(cells, rule),
            }
        )
    return pd.DataFrame(records)


def paired_recall(cells: list[Cell], rule: str) -> float:
    """Mean recall of the rule over the cells where both it and the previous rule are non-empty, as a ratio of
    the previous rule's mean recall on the same cells."""
    pairs = [
        (c.results[rule][1], c.results["previous"][1])
        for c in cells
        if c.results.get(rule) and c.results.get("previous")
    ]
    if not pairs:
        return np.nan
    return float(np.mean([a for a, _ in pairs]) / max(np.mean([b for _, b in pairs]), 1e-12))


def run_scenario(
    scenario: str,
    as_of_dates: int,
    workdir: Path,
    days: int,
    seed: int,
    reuse: bool,
    customers: int | None = None,
    extra_vars: dict | None = None,
    precisions: tuple[float, ...] = PRECISIONS,
    as_of_spacing: int = AS_OF_SPACING,
    refit_on_weekly_grid: bool = False,
) -> list[Cell]:
    cfg = RetailConfig(customers=customers or SCENARIO_SIZES[scenario], days=days, seed=seed, scenario=scenario)
    events, truth = simulate_retail(cfg)
    out = workdir / scenario
    write_retail(events, truth, cfg, out)
    purchases = events.assign(event_at=pd.to_datetime(events["event_time"]), user_id=events["user_id"].astype(str))
    last_day = pd.Timestamp(cfg.start) + pd.Timedelta(days=days - 1)
    # as_of dates as_of_spacing days apart, the newest leaving the longest P3 fully observed afterwards
    dates = [last_day - pd.Timedelta(days=max(FUTURE_DAYS) + as_of_spacing * i) for i in range(as_of_dates)]
    cells = []
    for as_of in sorted(dates):
        began = time.perf_counter()
        database = build(
            out,
            out / "events.csv",
            str(as_of.date()),
            MODEL_CUTOFFS,
            reuse,
            extra_vars,
            precisions,
            refit_on_weekly_grid,
        )
        with duckdb.connect(str(database), read_only=True) as con:
            for view, table in [
                ("predseg_training_rows", "int_segment_training_rows"),
                ("predseg_event_features", "int_user_event_features"),
                ("predseg_user_features", "int_user_features"),
            ]:
                con.execute(f"create temp view {view} as select * from {table}")
            for segment in segments(precisions):
                cells.append(evaluate_segment(con, segment, purchases))
        print(f"  {scenario} as_of {as_of.date()}: {time.perf_counter() - began:.0f} s", flush=True)
    return cells


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=["ageing", "growth", "seasonal"])
    parser.add_argument("--as-of-dates", type=int, default=8)
    parser.add_argument(
        "--as-of-spacing",
        type=int,
        default=AS_OF_SPACING,
        help="days between two as_of dates (default: %(default)s); not a multiple of 7 to judge weekly refits",
    )
    parser.add_argument(
        "--refit-on-weekly-grid",
        action="store_true",
        help="build each date first as of its refit day on a weekly grid (0-6 days before), as between weekly refits",
    )
    parser.add_argument("--days", type=int, default=540)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "target" / "drift_eval")
    parser.add_argument("--reuse", action="store_true", help="reuse databases built by an earlier run")
    parser.add_argument("--customers", type=int, help="customers of every scenario (default: each its own size)")
    parser.add_argument(
        "--precisions",
        type=float,
        nargs="+",
        default=list(PRECISIONS),
        help="the requested precisions of the cells (default: %(default)s)",
    )
    parser.add_argument(
        "--vars",
        type=parse_vars,
        default={},
        help="more dbt vars (a YAML mapping) for every build, e.g. '{training_panel_users: 25000}'",
    )
    args = parser.parse_args(argv)
    fixed = sorted(set(args.vars) & set(EVALUATION_VARS))
    if fixed:
        parser.error(f"--vars cannot set {', '.join(fixed)}: the evaluation sets them for every build")
    outside = [p for p in args.precisions if not 0.5 <= p <= 0.99]
    if outside:
        parser.error(f"--precisions must lie in [0.5, 0.99], as a segment's precision does: got {outside}")
    if args.as_of_spacing < 1:
        parser.error(f"--as-of-spacing must be at least 1 day: got {args.as_of_spacing}")
    pd.set_option("display.width", 160)
    everything = []
    for scenario in args.scenarios:
        cells = run_scenario(
            scenario,
            args.as_of_dates,
            args.out,
            args.days,
            args.seed,
            args.reuse,
            args.customers,
            args.vars,
            tuple(args.precisions),
            args.as_of_spacing,
            args.refit_on_weekly_grid,
        )
        everything += cells
        print(f"\n{scenario}")
        print(summarize(cells).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        aucs = [c.auc for c in cells if c.auc is not None]
        print(f"mean ROC AUC of today's scores: {np.mean(aucs):.3f}")
    print("\nall scenarios")
    print(summarize(everything).to_string(index=False, float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
