"""Calibration of probabilities out of time.

A model fit on past cutoffs is judged ``future_days`` later; when the base rate moves in between (a cohort
ages, a season turns) its probabilities are off by about the drift. Measured on purged folds, which have
exactly production's staleness, the error is an *offset* on the logit scale: the shift that makes the
fold's mean probability equal its observed base rate.
"""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return float(np.log(p / (1 - p)))


def intercept_offset(logits: np.ndarray, labels: np.ndarray) -> float:
    """The shift d with mean(sigmoid(logits + d)) == mean(labels) (bisection; clipped to +-10)."""
    target = float(np.mean(labels))
    if target <= 0.0:
        return -10.0
    if target >= 1.0:
        return 10.0
    low, high = -10.0, 10.0
    for _ in range(80):
        middle = (low + high) / 2
        if sigmoid(logits + middle).mean() < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2
