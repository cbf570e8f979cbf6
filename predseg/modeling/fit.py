"""Fitting: standardize the terms and fit an L2-regularized logistic regression."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from predseg.modeling.terms import Term


@dataclass
class FittedModel:
    terms: list[Term]
    center: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    intercept: float
    estimator: LogisticRegression

    def standardize(self, matrix: np.ndarray) -> np.ndarray:
        """``matrix`` holds the kept terms' transformed values (see :func:`project`)."""
        return (matrix - self.center) / self.scale

    def logit(self, matrix: np.ndarray) -> np.ndarray:
        return self.standardize(matrix) @ self.coefficients + self.intercept

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        return self.estimator.predict_proba(self.standardize(matrix))[:, 1]


def fit_logistic(
    matrix: np.ndarray, labels: np.ndarray, terms: list[Term], c: float, start: FittedModel | None = None
) -> FittedModel:
    """Standardize (dropping constant columns) and fit an L2-regularized logistic regression. ``start``, a
    model of the same terms fit on similar rows (another fold of the same segment), is where the solver
    starts: the same optimum (the penalized loss has one), reached in fewer Newton steps."""
    center = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    keep = scale > 1e-12
    kept_terms = [t for t, k in zip(terms, keep, strict=True) if k]
    center, scale = center[keep], scale[keep]
    standardized = (matrix[:, keep] - center) / scale
    model = LogisticRegression(C=c, solver="newton-cholesky", max_iter=200, tol=1e-8)
    if start is not None:
        # a started fit ends nearer the optimum (about one Newton step more), so that where it ends does not
        # depend on where it started
        model.set_params(warm_start=True, tol=1e-10)
        model.coef_, model.intercept_ = starting_point(start, kept_terms, center, scale)
    model.fit(standardized, labels)
    return FittedModel(kept_terms, center, scale, model.coef_[0].astype(float), float(model.intercept_[0]), model)


def starting_point(
    start: FittedModel, terms: list[Term], center: np.ndarray, scale: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``start``'s logit, written in the coefficients of ``terms`` standardized by ``center`` and ``scale``
    (terms ``start`` did not keep start at 0)."""
    raw = dict(zip(start.terms, start.coefficients / start.scale, strict=True))
    slopes = np.array([raw.get(t, 0.0) for t in terms])
    offset = start.intercept - float(np.sum(start.coefficients * start.center / start.scale))
    return (slopes * scale)[np.newaxis, :], np.array([offset + float(np.sum(slopes * center))])


def project(matrix: np.ndarray, all_terms: list[Term], model: FittedModel) -> np.ndarray:
    """The columns of ``matrix`` (built for ``all_terms``) that ``model`` kept."""
    position = {t: i for i, t in enumerate(all_terms)}
    return matrix[:, [position[t] for t in model.terms]]
