"""Choosing who is in a segment so that it has the requested precision.

Two ways:

* :func:`choose_threshold` (rules ``point`` and ``wilson``): the lowest score whose precision on a labelled
  cutoff meets the request (its one-sided 95 % Wilson lower bound, for ``wilson``). The threshold is then
  carried to today.
* :func:`select_by_expected_precision` (rule ``expected``): the largest top-k of *today's* users whose
  expected precision, the mean of their (drift-calibrated) probabilities, meets the request with the same
  Wilson margin. It follows today's score distribution instead of carrying a threshold across time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WILSON_Z = 1.6449  # one-sided 95 % lower bound


def wilson_lower_bound(successes: np.ndarray, trials: np.ndarray, z: float = WILSON_Z) -> np.ndarray:
    n = np.maximum(trials, 1)
    p = successes / n
    centre = p + z * z / (2 * n)
    margin = z * np.sqrt(np.maximum(p * (1 - p), 0.0) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


@dataclass
class Threshold:
    threshold: float | None
    precision: float | None
    recall: float | None
    audience_share: float | None
    best_reachable_precision: float | None


def choose_threshold(scores: np.ndarray, labels: np.ndarray, target: float, min_predicted: int, rule: str) -> Threshold:
    """The lowest score threshold (so the largest audience) whose precision on these rows meets
    ``target``, among thresholds putting at least ``min_predicted`` users in the segment. ``rule``
    'point' compares the observed precision; 'wilson' its one-sided 95 % Wilson lower bound, which asks
    small audiences for more margin."""
    if rule not in ("point", "wilson"):
        raise ValueError(f"choose_threshold takes rule point or wilson, not {rule!r}")
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    last_of_tie = np.r_[s[1:] != s[:-1], True]  # a threshold admits every user with that score
    tp = np.cumsum(y)[last_of_tie]
    predicted = (np.arange(len(s)) + 1)[last_of_tie]
    cut = s[last_of_tie]
    precision = tp / predicted
    big_enough = predicted >= min_predicted
    best = float(precision[big_enough].max()) if big_enough.any() else None
    measure = precision if rule == "point" else wilson_lower_bound(tp, predicted)
    ok = big_enough & (measure >= target)
    if not ok.any():
        return Threshold(None, None, None, None, best)
    i = np.flatnonzero(ok)[-1]
    positives = max(int(y.sum()), 1)
    return Threshold(float(cut[i]), float(precision[i]), float(tp[i] / positives), float(predicted[i] / len(s)), best)


def realised_precision(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float | None:
    chosen = scores >= threshold
    return float(labels[chosen].mean()) if chosen.any() else None


@dataclass
class Selection:
    threshold: float | None  # members have probability >= threshold
    size: int
    expected_precision: float | None
    lower_bound: float | None
    best_expected_precision: float | None  # of any audience of at least min_predicted users


def select_by_expected_precision(
    probabilities: np.ndarray, target: float, min_predicted: int, z: float = WILSON_Z
) -> Selection:
    """The largest top-k by probability (ties kept together) whose expected precision's Wilson lower
    bound (expected successes = the sum of the probabilities) meets ``target``."""
    order = np.argsort(-probabilities, kind="stable")
    p = probabilities[order]
    last_of_tie = np.r_[p[1:] != p[:-1], True] if len(p) else np.array([], dtype=bool)
    expected_tp = np.cumsum(p)[last_of_tie]
    size = (np.arange(len(p)) + 1)[last_of_tie]
    cut = p[last_of_tie]
    expected = expected_tp / np.maximum(size, 1)
    bound = wilson_lower_bound(expected_tp, size, z)
    big_enough = size >= min_predicted
    best = float(expected[big_enough].max()) if big_enough.any() else None
    ok = big_enough & (bound >= target)
    if not ok.any():
        return Selection(None, 0, None, None, best)
    i = np.flatnonzero(ok)[-1]
    return Selection(float(cut[i]), int(size[i]), float(expected[i]), float(bound[i]), best)
