"""The pieces of the threshold rules, on small frames: purged folds spaced like production, the P3-spaced
backtest pairs, the drift offset, the expected-precision selection and the Wilson bound; and a fit started
from another fold's model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from predseg.modeling.backtest import backtest_folds
from predseg.modeling.calibration import intercept_offset, sigmoid
from predseg.modeling.fit import fit_logistic
from predseg.modeling.folds import purged_folds, purged_training_cutoffs
from predseg.modeling.terms import Term
from predseg.modeling.thresholds import select_by_expected_precision, wilson_lower_bound


def weekly_cutoffs(count: int, newest: str = "2026-05-01") -> pd.DataFrame:
    """Training cutoffs 1 (newest) .. count, a week apart, as int_cutoffs numbers them."""
    at = pd.Timestamp(newest) - pd.to_timedelta([7 * k for k in range(count)], unit="D")
    return pd.DataFrame({"cutoff_number": range(1, count + 1), "cutoff_at": at})


@pytest.mark.parametrize("future_days", [3, 7, 14, 30])
def test_a_fold_never_trains_on_a_label_window_that_reaches_its_cutoff(future_days):
    cutoffs = weekly_cutoffs(20)
    at = dict(zip(cutoffs["cutoff_number"], cutoffs["cutoff_at"], strict=True))
    folds = purged_folds(cutoffs, future_days, model_cutoffs=6)
    assert folds, "some cutoff must be validated"
    for fold in folds:
        assert len(fold.training_cutoffs) >= 2
        for k in fold.training_cutoffs:
            labels_end = at[k] + pd.Timedelta(days=future_days)
            assert labels_end <= fold.cutoff_at, (fold.cutoff_number, k)
        # and they are the newest such cutoffs: the staleness is production's, no more
        gap = (fold.cutoff_at - at[min(fold.training_cutoffs)]).days
        assert future_days <= gap < future_days + 7


def test_purging_needs_cutoffs_further_back_for_a_longer_future_window():
    cutoffs = weekly_cutoffs(10)
    assert purged_training_cutoffs(cutoffs, cutoffs["cutoff_at"].max(), 7, 6) == (2, 3, 4, 5, 6, 7)
    assert purged_training_cutoffs(cutoffs, cutoffs["cutoff_at"].max(), 30, 6) == (6, 7, 8, 9, 10)
    # a week-apart fold would have trained on labels overlapping the validated cutoff's
    assert 2 not in purged_training_cutoffs(cutoffs, cutoffs["cutoff_at"].max(), 30, 6)


@pytest.mark.parametrize("future_days", [7, 30])
def test_backtest_pairs_are_spaced_by_the_future_window(future_days):
    cutoffs = weekly_cutoffs(6 + 2 * -(-future_days // 7))
    folds = purged_folds(cutoffs, future_days, model_cutoffs=6)
    pairs = backtest_folds(folds, future_days, targets=3)
    assert pairs
    for source, target in pairs:
        # the rule is set on a cutoff whose labels end by the judged one, as today's on the newest labels
        assert source.cutoff_at + pd.Timedelta(days=future_days) <= target.cutoff_at
        assert (target.cutoff_at - source.cutoff_at).days < future_days + 7


def test_the_drift_offset_matches_the_base_rate():
    rng = np.random.default_rng(3)
    logits = rng.normal(-1.0, 1.0, 5000)
    labels = (rng.random(5000) < sigmoid(logits - 0.7)).astype(int)  # the truth has fallen by 0.7 in logit
    offset = intercept_offset(logits, labels)
    assert sigmoid(logits + offset).mean() == pytest.approx(labels.mean(), abs=1e-6)
    assert offset == pytest.approx(-0.7, abs=0.1)


def test_expected_precision_takes_the_largest_top_k_that_meets_the_request():
    probabilities = np.array([0.95] * 40 + [0.9] * 40 + [0.5] * 100)
    chosen = select_by_expected_precision(probabilities, 0.85, min_predicted=30, z=0.0)
    assert chosen.size == 80 and chosen.threshold == 0.9
    assert chosen.expected_precision == pytest.approx(0.925)
    # the Wilson margin asks a small audience for more
    assert select_by_expected_precision(probabilities[:40], 0.9, min_predicted=30, z=1.6449).threshold is None
    assert select_by_expected_precision(np.full(4000, 0.95), 0.9, min_predicted=30, z=1.6449).size == 4000
    # below the minimum audience nothing qualifies
    assert select_by_expected_precision(np.full(10, 0.99), 0.6, min_predicted=30).threshold is None


def test_the_wilson_bound_is_below_the_proportion_and_tightens_with_n():
    assert wilson_lower_bound(np.array([40.0]), np.array([50]))[0] < 0.8
    small = wilson_lower_bound(np.array([40.0]), np.array([50]))[0]
    large = wilson_lower_bound(np.array([4000.0]), np.array([5000]))[0]
    assert small < large < 0.8
    assert wilson_lower_bound(np.array([40.0]), np.array([50]), z=0.0)[0] == pytest.approx(0.8)


def test_a_fit_started_from_another_folds_model_reaches_the_same_optimum_in_fewer_steps():
    rng = np.random.default_rng(3)
    n, p = 4000, 12
    true = rng.normal(0, 1, p)

    def rows(shift: float) -> tuple[np.ndarray, np.ndarray]:
        # columns on different scales and centres, and a constant column the fit drops
        matrix = rng.normal(shift, 1, (n, p)) * np.arange(1, p + 1) + 5
        matrix[:, 4] = 2.0
        labels = (rng.random(n) < sigmoid(matrix @ (true / np.arange(1, p + 1)) / 3 - 2)).astype(int)
        return matrix, labels

    terms = [Term("user", f"feature_{i}") for i in range(p)]
    older, newer = rows(0.0), rows(0.2)
    previous = fit_logistic(*older, terms, 1.0)
    cold = fit_logistic(*newer, terms, 1.0)
    warm = fit_logistic(*newer, terms, 1.0, start=previous)
    assert warm.terms == cold.terms and len(warm.terms) == p - 1
    assert np.abs(warm.coefficients - cold.coefficients).max() < 1e-6
    assert abs(warm.intercept - cold.intercept) < 1e-6
    assert warm.estimator.n_iter_[0] < cold.estimator.n_iter_[0]
