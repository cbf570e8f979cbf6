"""Fit one segment: the scoring model, purged out-of-time validation, the calibration and threshold rule,
and the P3-spaced backtest. The result is a typed record that predseg.modeling.rows writes as data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from predseg.modeling.backtest import Backtest, backtest_folds, run_backtest
from predseg.modeling.catalog import FeatureCatalog
from predseg.modeling.fit import FittedModel, fit_logistic
from predseg.modeling.folds import predict_folds, purged_folds
from predseg.modeling.selection import Calibration, apply_rule, calibrate
from predseg.modeling.terms import build_terms, design_matrix


@dataclass(frozen=True)
class Settings:
    past_days: int  # the effective past window (int_cutoffs.past_days)
    requested_precision: float
    future_days: int = 7
    history_days: int = 365  # the lifetime window (int_cutoffs.history_days)
    model_cutoffs: int = 6  # the newest training cutoffs the scoring model is fit on (var training_cutoffs)
    min_class_rows: int = 50
    min_predicted_positives: int = 30
    regularization_c: float = 1.0
    threshold_rule: str = "expected"
    expected_z: float = 1.6449
    calibration: str = "newest"  # newest | trend | none (see predseg.modeling.selection.drift_offset)
    backtest_pairs: int = 3  # the newest folds judged in the backtest


@dataclass
class SegmentMetrics:
    training_rows: int = 0
    training_positives: int = 0
    training_cutoffs: int = 0
    validation_cutoff_number: int | None = None
    validation_rows: int | None = None
    validation_positives: int | None = None
    validation_auc: float | None = None
    validation_pr_auc: float | None = None
    validation_brier: float | None = None
    calibration_offset: float | None = None
    threshold: float | None = None
    validation_precision: float | None = None
    validation_recall: float | None = None
    validation_audience_share: float | None = None
    best_reachable_precision: float | None = None
    backtest_pairs: int = 0
    backtest_held: int = 0
    backtest_mean_shortfall: float | None = None
    backtest_last_realised_precision: float | None = None


@dataclass
class SegmentFit:
    status: str
    message: str
    metrics: SegmentMetrics = field(default_factory=SegmentMetrics)
    models: dict[str, FittedModel] = field(default_factory=dict)
    backtest: Backtest | None = None
    calibration: Calibration | None = None


def _safe(metric, y: np.ndarray, p: np.ndarray) -> float | None:
    return float(metric(y, p)) if 0 < y.sum() < len(y) else None


def fit_segment(
    rows: pd.DataFrame,
    event_rows: pd.DataFrame,
    user_rows: pd.DataFrame,
    attributes: list[str],
    settings: Settings,
    catalog: FeatureCatalog,
) -> SegmentFit:
    """Fit one segment. ``rows``: cutoff_at, cutoff_number, user_id, label, for every training cutoff (the
    model cutoffs 1..model_cutoffs and the deeper validation cutoffs)."""
    rows = rows.sort_values(["cutoff_number", "user_id"], kind="stable").reset_index(drop=True)
    labels = rows["label"].to_numpy(dtype=int)
    numbers = rows["cutoff_number"].to_numpy()
    in_model = numbers <= settings.model_cutoffs
    model_cutoffs = sorted(set(numbers[in_model]))
    positives, total = int(labels[in_model].sum()), int(in_model.sum())
    metrics = SegmentMetrics(training_rows=total, training_positives=positives, training_cutoffs=len(model_cutoffs))
    need = settings.min_class_rows
    if positives < need or total - positives < need or len(model_cutoffs) < 3:
        return SegmentFit(
            "insufficient_data",
            f"{positives} positive and {total - positives} negative rows over {len(model_cutoffs)} training "
            f"cutoffs; a model needs at least {need} of each (var min_class_rows) and 3 cutoffs",
            metrics,
        )

    terms = build_terms(event_rows, user_rows, attributes, settings.past_days, settings.history_days, catalog)
    matrix = design_matrix(rows, event_rows, user_rows, terms)
    cutoffs = rows[["cutoff_number", "cutoff_at"]].drop_duplicates()
    folds = purged_folds(cutoffs, settings.future_days, settings.model_cutoffs)
    pairs = backtest_folds(folds, settings.future_days, settings.backtest_pairs)
    needed = folds[:1] + [fold for pair in pairs for fold in pair]  # the validation fold and the backtest's
    needed = list({fold.cutoff_number: fold for fold in needed}.values())
    predictions = predict_folds(needed, matrix, labels, numbers, terms, settings.regularization_c)
    if not predictions:
        return SegmentFit(
            "insufficient_data",
            f"no cutoff can be validated out of time: that needs training cutoffs whose labels end "
            f"{settings.future_days} days (future_days) before it, as in production, and the data does not reach "
            "that far back; load more history, or lower future_days, cutoff_stride_days or min_history_days",
            metrics,
        )
    validation = predictions[min(predictions)]  # the newest cutoff with a purged fold
    y, scores = validation.labels, validation.probabilities
    metrics.validation_cutoff_number = validation.fold.cutoff_number
    metrics.validation_rows = len(y)
    metrics.validation_positives = int(y.sum())
    metrics.validation_auc = _safe(roc_auc_score, y, scores)
    metrics.validation_pr_auc = _safe(average_precision_score, y, scores)
    metrics.validation_brier = float(brier_score_loss(y, scores))

    # today (the scoring cutoff is future_days after the newest training cutoff) every fold's labels are known
    scoring_at = rows["cutoff_at"].max() + pd.Timedelta(days=settings.future_days)
    known = sorted(predictions.values(), key=lambda p: p.fold.cutoff_at, reverse=True)
    calibration = calibrate(known, scoring_at, settings)
    metrics.calibration_offset = calibration.offset
    metrics.threshold = calibration.threshold
    metrics.best_reachable_precision = calibration.best_reachable_precision
    backtest = run_backtest(predictions, pairs, settings)
    newest = backtest.newest
    metrics.backtest_pairs = len(backtest.pairs)
    metrics.backtest_held = backtest.held
    metrics.backtest_mean_shortfall = backtest.mean_shortfall
    metrics.backtest_last_realised_precision = newest.realised_precision if newest else None
    if settings.threshold_rule == "expected":
        # what the rule gave on the validation cutoff, calibrated on an older fold (the newest backtest pair)
        on_validation = newest if newest and newest.checked_on == validation.fold.cutoff_number else None
        metrics.validation_precision = on_validation.realised_precision if on_validation else None
        metrics.validation_recall = on_validation.recall if on_validation else None
        metrics.validation_audience_share = on_validation.audience_share if on_validation else None
        reachable = apply_rule(validation.logits, calibration, settings) is not None
    else:
        metrics.validation_precision = calibration.precision
        metrics.validation_recall = calibration.recall
        metrics.validation_audience_share = calibration.audience_share
        reachable = calibration.threshold is not None

    # the validation model's training cutoffs are the scoring model's, moved back by the label window
    scoring_model = fit_logistic(
        matrix[in_model], labels[in_model], terms, settings.regularization_c, start=validation.model
    )
    models = {"validation": validation.model, "scoring": scoring_model}
    if not reachable:
        best = calibration.best_reachable_precision
        reach = "no audience is that large" if best is None else f"the best precision observed is {best:.3f}"
        return SegmentFit(
            "precision_unreachable",
            f"no audience of at least {settings.min_predicted_positives} users reaches precision "
            f"{settings.requested_precision:.2f} on the validation cutoff with 95 % confidence ({reach}); "
            "the segment is empty",
            metrics,
            models,
            backtest,
            calibration,
        )
    return SegmentFit("ok", "ok", metrics, models, backtest, calibration)
