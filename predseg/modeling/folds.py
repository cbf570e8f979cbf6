"""Purged out-of-time folds, spaced like production.

In production the scoring model is fit on training cutoffs whose labels are all observed, so its newest
training cutoff is ``future_days`` before the cutoff it scores. A fold reproduces exactly that: the fold for
cutoff j trains on the newest ``model_cutoffs`` cutoffs whose label window ends at or before cutoff j
(purged: no training label overlaps j's), and predicts cutoff j. Thresholds, calibration and backtests are
all judged on these predictions, never on a model that saw the period it is judged on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from predseg.modeling.fit import FittedModel, fit_logistic, project
from predseg.modeling.terms import Term


@dataclass(frozen=True)
class Fold:
    cutoff_number: int  # the cutoff the fold predicts (1 = the newest training cutoff)
    cutoff_at: pd.Timestamp
    training_cutoffs: tuple[int, ...]  # the cutoffs its model is fit on


@dataclass
class FoldPrediction:
    fold: Fold
    model: FittedModel
    logits: np.ndarray
    labels: np.ndarray

    @property
    def probabilities(self) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits))


def labels_known_by(cutoff_at, at: pd.Timestamp, future_days: int):
    """Whether the label window ``[cutoff_at, cutoff_at + future_days)`` has ended by ``at`` (works on a
    timestamp or a column of them): the one test behind purging, backtest pairs and calibration."""
    return cutoff_at + pd.Timedelta(days=future_days) <= at


def purged_training_cutoffs(
    cutoffs: pd.DataFrame, target_at: pd.Timestamp, future_days: int, model_cutoffs: int
) -> tuple[int, ...]:
    """The newest ``model_cutoffs`` cutoffs (cutoff_number, cutoff_at) whose labels are known by
    ``target_at``."""
    eligible = cutoffs[labels_known_by(cutoffs["cutoff_at"], target_at, future_days)]
    eligible = eligible.sort_values("cutoff_at", ascending=False)
    return tuple(int(n) for n in eligible["cutoff_number"].head(model_cutoffs))


def purged_folds(
    cutoffs: pd.DataFrame, future_days: int, model_cutoffs: int, min_training_cutoffs: int = 2
) -> list[Fold]:
    """One fold per cutoff that has at least ``min_training_cutoffs`` purged training cutoffs, newest first."""
    folds = []
    for row in cutoffs.sort_values("cutoff_at", ascending=False).itertuples(index=False):
        training = purged_training_cutoffs(cutoffs, row.cutoff_at, future_days, model_cutoffs)
        if len(training) >= min_training_cutoffs:
            folds.append(Fold(int(row.cutoff_number), row.cutoff_at, training))
    return folds


def predict_folds(
    folds: list[Fold],
    matrix: np.ndarray,
    labels: np.ndarray,
    cutoff_numbers: np.ndarray,
    terms: list[Term],
    regularization_c: float,
) -> dict[int, FoldPrediction]:
    """Fit each fold's model on its training cutoffs and predict its cutoff (folds whose training rows hold
    one class only are left out)."""
    predictions = {}
    previous = None  # each fold's solver starts from the fold before it (their training cutoffs overlap)
    for fold in folds:
        train = np.isin(cutoff_numbers, fold.training_cutoffs)
        test = cutoff_numbers == fold.cutoff_number
        if not test.any() or labels[train].min() == labels[train].max():
            continue
        model = fit_logistic(matrix[train], labels[train], terms, regularization_c, start=previous)
        previous = model
        logits = model.logit(project(matrix[test], terms, model))
        predictions[fold.cutoff_number] = FoldPrediction(fold, model, logits, labels[test])
    return predictions
