"""The threshold rules: who is in the segment, given a labelled fold to learn from and the logits of the
users to choose among.

* ``expected`` (the default): recalibrate on the newest labelled fold (the logit offset that makes its
  mean probability equal its base rate: the drift a model of this staleness shows), then take the largest
  top-k of the users by probability whose expected precision meets the request with a Wilson margin
  (``expected_z``). When no k qualifies but a threshold reaches the request on the labelled fold (its Wilson
  bound), that threshold is used, as the ``wilson`` rule would: a segment is empty only when the labelled
  data cannot support the request either.
* ``wilson`` / ``point``: the threshold that meets the request on the labelled fold (its Wilson lower
  bound, or the observed precision) is carried over unchanged.

The same functions choose today's audience (in SQL, from the values segment_models stores) and the
backtest's audiences (here), so the backtest judges exactly the rule that runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from predseg.modeling.calibration import intercept_offset, sigmoid
from predseg.modeling.folds import FoldPrediction
from predseg.modeling.thresholds import choose_threshold, select_by_expected_precision

THRESHOLD_RULES = ("expected", "wilson", "point")
CALIBRATION_RULES = ("newest", "trend", "none")


@dataclass
class Calibration:
    offset: float  # added to today's logits (expected rule; 0 otherwise)
    threshold: float | None  # the labelled fold's probability threshold (rule expected: its fallback)
    precision: float | None  # at that threshold, on the labelled fold
    recall: float | None
    audience_share: float | None
    best_reachable_precision: float | None


def drift_offset(known: list[FoldPrediction], target_at: pd.Timestamp, settings) -> float:
    """The logit offset for scoring at ``target_at``, from the folds whose labels are known by then (newest
    first), by the ``calibration`` setting: the newest fold's offset (``newest``), a straight line through
    the folds' offsets carried forward to ``target_at`` (``trend``; the newest fold's offset with fewer than
    3 folds), or none."""
    if settings.calibration == "none":
        return 0.0
    offsets = [intercept_offset(p.logits, p.labels) for p in known]
    if settings.calibration == "newest" or len(offsets) < 3:
        return offsets[0]
    days = np.array([(p.fold.cutoff_at - target_at).days for p in known], dtype=float)
    slope, intercept = np.polyfit(days, np.array(offsets), 1)
    return float(intercept)


def calibrate(known: list[FoldPrediction], target_at: pd.Timestamp, settings) -> Calibration:
    """What the rule learns from the labelled folds known at ``target_at`` (newest first): the threshold of
    the newest, and (rule expected) the drift offset."""
    if settings.threshold_rule not in THRESHOLD_RULES:
        raise ValueError(f"unknown threshold rule {settings.threshold_rule!r}; use one of {THRESHOLD_RULES}")
    if settings.calibration not in CALIBRATION_RULES:
        raise ValueError(f"unknown calibration {settings.calibration!r}; use one of {CALIBRATION_RULES}")
    source = known[0]
    rule = "wilson" if settings.threshold_rule == "expected" else settings.threshold_rule
    chosen = choose_threshold(
        source.probabilities, source.labels, settings.requested_precision, settings.min_predicted_positives, rule
    )
    expected = settings.threshold_rule == "expected"
    return Calibration(
        offset=drift_offset(known, target_at, settings) if expected else 0.0,
        threshold=chosen.threshold,
        precision=chosen.precision,
        recall=chosen.recall,
        audience_share=chosen.audience_share,
        best_reachable_precision=chosen.best_reachable_precision,
    )


def apply_rule(logits: np.ndarray, calibration: Calibration, settings) -> np.ndarray | None:
    """Which of the users with these logits are members (None: nobody), by the rule and a calibration
    learnt on a labelled fold."""
    labelled = None if calibration.threshold is None else sigmoid(logits) >= calibration.threshold
    if settings.threshold_rule != "expected":
        return labelled
    probabilities = sigmoid(logits + calibration.offset)
    target, smallest = settings.requested_precision, settings.min_predicted_positives
    selection = select_by_expected_precision(probabilities, target, smallest, settings.expected_z)
    return labelled if selection.threshold is None else probabilities >= selection.threshold


def choose_audience(
    known: list[FoldPrediction], target_at: pd.Timestamp, logits: np.ndarray, settings
) -> np.ndarray | None:
    return apply_rule(logits, calibrate(known, target_at, settings), settings)
