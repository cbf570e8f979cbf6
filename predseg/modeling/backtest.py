"""The rule's backtest, spaced like production.

Today the audience is chosen by a model whose newest labels end today, with a calibration measured on a
cutoff ``future_days`` earlier. A backtest pair repeats that in the past: for each cutoff j with a purged
fold, the newest fold i whose labels end at or before cutoff j sets the calibration (or, for the threshold
rules, the threshold), fold j's model selects cutoff j's audience, and cutoff j's labels say whether the
precision held. Pairs of consecutive cutoffs a week apart, whose label windows overlap, cannot see drift
over a P3 horizon; these can.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from predseg.modeling.folds import Fold, FoldPrediction, labels_known_by
from predseg.modeling.selection import choose_audience


@dataclass
class BacktestPair:
    chosen_on: int  # the fold that set the calibration or threshold
    checked_on: int  # the fold whose audience was judged
    realised_precision: float
    recall: float
    audience_share: float


@dataclass
class Backtest:
    pairs: list[BacktestPair]
    requested_precision: float

    @property
    def held(self) -> int:
        return sum(p.realised_precision >= self.requested_precision for p in self.pairs)

    @property
    def mean_shortfall(self) -> float | None:
        if not self.pairs:
            return None
        return float(np.mean([max(0.0, self.requested_precision - p.realised_precision) for p in self.pairs]))

    @property
    def newest(self) -> BacktestPair | None:
        return min(self.pairs, key=lambda p: p.checked_on) if self.pairs else None


def source_fold(folds: list[Fold], target: Fold, future_days: int) -> Fold | None:
    """The newest fold whose cutoff's labels end at or before ``target``'s cutoff: the calibration a
    production run on ``target``'s cutoff would have had."""
    older = [f for f in folds if labels_known_by(f.cutoff_at, target.cutoff_at, future_days)]
    return max(older, key=lambda f: f.cutoff_at) if older else None


def backtest_folds(folds: list[Fold], future_days: int, targets: int) -> list[tuple[Fold, Fold]]:
    """(source, target) for the newest ``targets`` folds that have a source fold."""
    pairs = []
    for target in sorted(folds, key=lambda f: f.cutoff_at, reverse=True):
        source = source_fold(folds, target, future_days)
        if source is not None:
            pairs.append((source, target))
        if len(pairs) == targets:
            break
    return pairs


def known_folds(predictions: dict[int, FoldPrediction], at: pd.Timestamp, future_days: int) -> list[FoldPrediction]:
    """The folds whose labels are known by ``at`` (their cutoff at least future_days earlier), newest first."""
    known = [p for p in predictions.values() if labels_known_by(p.fold.cutoff_at, at, future_days)]
    return sorted(known, key=lambda p: p.fold.cutoff_at, reverse=True)


def run_backtest(predictions: dict[int, FoldPrediction], pairs: list[tuple[Fold, Fold]], settings) -> Backtest:
    judged = []
    for source_fold_, target_fold in pairs:
        source, target = source_fold_.cutoff_number, target_fold.cutoff_number
        if source not in predictions or target not in predictions:
            continue
        target_at = target_fold.cutoff_at
        known = known_folds(predictions, target_at, settings.future_days)
        members = choose_audience(known, target_at, predictions[target].logits, settings)
        if members is None or not members.any():
            continue  # the segment would have been empty, not wrong
        labels = predictions[target].labels
        judged.append(
            BacktestPair(
                source,
                target,
                float(labels[members].mean()),
                float(labels[members].sum() / max(labels.sum(), 1)),
                float(members.mean()),
            )
        )
    return Backtest(judged, settings.requested_precision)
