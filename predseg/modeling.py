"""Logistic regression per segment, out-of-time validation and the precision threshold.

The dbt Python model ``segment_models`` calls :func:`fit_segment` for each segment with the segment's
sampled training rows, and writes what it returns: the model as data (one row per term with its
transformation, fill value, centre, scale and coefficient) plus the segment's status and metrics. SQL
models apply those rows, so scoring never needs Python.

Cutoffs are numbered as in ``int_cutoffs``: 1 is the newest training cutoff. The *validation model* is fit on
cutoffs 2.. and judged on cutoff 1; the *scoring model* is fit on every training cutoff (so it has seen the
newest labels) and applied to today's features. Thresholds are chosen on out-of-time predictions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

EVENT_FEATURES = (
    "event_count",
    "days_since_last",
    "mean_gap_days",
    "max_gap_days",
    "recency_gap_ratio",
    "trend",
    "value_sum",
    "lifetime_count",
    "lifetime_days_since_last",
)
USER_FEATURES = ("tenure_days", "days_since_last_event", "active_days")
IDENTITY_FEATURES = ("trend",)
# Also entered untransformed: the chance of no event in a window falls exponentially with the rate, which
# neither a log nor a linear term alone can follow.
LINEAR_TOO = ("event_count", "days_since_last", "lifetime_days_since_last")
MAX_ATTRIBUTE_VALUES = 20
MIN_ATTRIBUTE_SHARE = 0.01
WILSON_Z = 1.6449  # one-sided 95 % lower bound
THRESHOLD_RULES = ("point", "wilson")


LIFETIME_FEATURES = ("lifetime_count", "lifetime_days_since_last")


@dataclass(frozen=True)
class Settings:
    past_days: int  # the effective past window (int_cutoffs.past_days)
    requested_precision: float
    history_days: int = 365  # the lifetime window (int_cutoffs.history_days)
    min_class_rows: int = 50
    min_predicted_positives: int = 30
    regularization_c: float = 1.0
    threshold_rule: str = "wilson"


@dataclass(frozen=True)
class Term:
    kind: str  # event | user | attribute
    feature_name: str
    event_name: str | None = None
    attribute_value: str | None = None
    transform: str = "log1p"
    fill_value: float = 0.0

    @property
    def column(self) -> str:
        """The raw column this term reads (several terms may read one column)."""
        if self.kind == "event":
            return f"{self.event_name}\x1f{self.feature_name}"
        if self.kind == "attribute":
            return f"{self.feature_name}\x1f{self.attribute_value}"
        return self.feature_name


def fill_value(feature_name: str, past_days: int, history_days: int) -> float:
    """What a missing feature means, as a number (see the missing_features doc block)."""
    if feature_name in ("days_since_last", "mean_gap_days", "max_gap_days"):
        return float(past_days)  # not within the window: at least as long ago as the window is long
    if feature_name in ("lifetime_days_since_last", "days_since_last_event"):
        return float(history_days)  # not within the history: as old as the history is long
    if feature_name == "recency_gap_ratio":
        return 1.0  # no cadence to be late against: neutral
    return 0.0  # counts, sums, trend, active days, attribute indicators


def build_terms(
    event_rows: pd.DataFrame, user_rows: pd.DataFrame, attributes: list[str], settings: Settings
) -> list[Term]:
    """The candidate terms for a segment: every feature of every event seen in its training rows, the
    user-level features, and indicators for the common values of each categorical attribute. When the
    past window is the whole history window (``past_days: all``), the lifetime features repeat the window
    ones and are left out."""
    terms: list[Term] = []
    features = [
        f for f in EVENT_FEATURES if not (f in LIFETIME_FEATURES and settings.past_days >= settings.history_days)
    ]
    for event in sorted(event_rows["event_name"].dropna().unique()):
        for feature in features:
            fill = fill_value(feature, settings.past_days, settings.history_days)
            transforms = ["identity"] if feature in IDENTITY_FEATURES else ["log1p"]
            if feature in LINEAR_TOO:
                transforms.append("identity")
            for how in transforms:
                terms.append(Term("event", feature, event_name=event, transform=how, fill_value=fill))
    for feature in USER_FEATURES:
        terms.append(
            Term(
                kind="user",
                feature_name=feature,
                fill_value=fill_value(feature, settings.past_days, settings.history_days),
            )
        )
    for attribute in attributes:
        column = f"attribute_{attribute}"
        if column not in user_rows:
            continue
        shares = user_rows[column].dropna().astype(str).value_counts(normalize=True).sort_index()
        shares = shares[shares >= MIN_ATTRIBUTE_SHARE].sort_values(ascending=False, kind="stable")
        for value in sorted(shares.index[:MAX_ATTRIBUTE_VALUES]):
            terms.append(Term(kind="attribute", feature_name=column, attribute_value=value, transform="identity"))
    return terms


def transform(values: np.ndarray, how: str) -> np.ndarray:
    if how == "log1p":
        return np.log1p(np.maximum(values, 0.0))
    return values


def design_matrix(
    keys: pd.DataFrame, event_rows: pd.DataFrame, user_rows: pd.DataFrame, terms: list[Term]
) -> np.ndarray:
    """Raw feature values (fills applied, then transformed) for ``keys`` rows (cutoff_at, user_id), in
    the order of ``terms``."""
    index = pd.MultiIndex.from_frame(keys[["cutoff_at", "user_id"]])
    columns: dict[str, np.ndarray] = {}
    event_terms = [t for t in terms if t.kind == "event"]
    if event_terms:
        wanted = event_rows[event_rows["event_name"].isin({t.event_name for t in event_terms})]
        wide = wanted.set_index(["cutoff_at", "user_id", "event_name"])[list(EVENT_FEATURES)].unstack("event_name")
        wide = wide.reindex(index)
        for t in event_terms:
            key = (t.feature_name, t.event_name)
            columns[t.column] = wide[key].to_numpy(dtype=float) if key in wide.columns else np.full(len(keys), np.nan)
    users = user_rows.set_index(["cutoff_at", "user_id"]).reindex(index)
    for t in terms:
        if t.kind == "user":
            columns[t.column] = users[t.feature_name].to_numpy(dtype=float)
        elif t.kind == "attribute":
            columns[t.column] = (
                (users[t.feature_name].astype("string") == t.attribute_value).fillna(False).to_numpy(dtype=float)
            )
    matrix = np.empty((len(keys), len(terms)), dtype=float)
    for i, t in enumerate(terms):
        raw = columns[t.column]
        matrix[:, i] = transform(np.where(np.isnan(raw), t.fill_value, raw), t.transform)
    return matrix


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

    def predict_proba(self, matrix: np.ndarray) -> np.ndarray:
        return self.estimator.predict_proba(self.standardize(matrix))[:, 1]


def fit_logistic(matrix: np.ndarray, labels: np.ndarray, terms: list[Term], c: float) -> FittedModel:
    """Standardize (dropping constant columns) and fit an L2-regularized logistic regression."""
    center = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    keep = scale > 1e-12
    kept_terms = [t for t, k in zip(terms, keep, strict=True) if k]
    center, scale = center[keep], scale[keep]
    standardized = (matrix[:, keep] - center) / scale
    model = LogisticRegression(C=c, solver="newton-cholesky", max_iter=200, tol=1e-8)
    model.fit(standardized, labels)
    return FittedModel(kept_terms, center, scale, model.coef_[0].astype(float), float(model.intercept_[0]), model)


def project(matrix: np.ndarray, all_terms: list[Term], model: FittedModel) -> np.ndarray:
    """The columns of ``matrix`` (built for ``all_terms``) that ``model`` kept."""
    position = {t: i for i, t in enumerate(all_terms)}
    return matrix[:, [position[t] for t in model.terms]]


def wilson_lower_bound(successes: np.ndarray, trials: np.ndarray, z: float = WILSON_Z) -> np.ndarray:
    n = np.maximum(trials, 1)
    p = successes / n
    centre = p + z * z / (2 * n)
    margin = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
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
    if rule not in THRESHOLD_RULES:
        raise ValueError(f"unknown threshold rule {rule!r}; use one of {THRESHOLD_RULES}")
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
class SegmentFit:
    status: str
    message: str
    metrics: dict = field(default_factory=dict)
    models: dict[str, FittedModel] = field(default_factory=dict)


@dataclass(frozen=True)
class DataWindow:
    """How a segment's windows met the data (read from int_cutoffs and int_segment_definitions)."""

    configured_past_days: int | None  # None: past_days all
    past_days: int
    history_days: int
    requested_training_cutoffs: int
    skipped_training_cutoffs: int
    data_start_date: str
    min_history_days: int


def window_notes(window: DataWindow) -> list[str]:
    """What the segment's status message must say about training cutoffs or windows the data cut short."""
    notes = []
    if window.skipped_training_cutoffs:
        first = window.requested_training_cutoffs - window.skipped_training_cutoffs + 1
        which = (
            f"cutoff {first}"
            if first == window.requested_training_cutoffs
            else f"cutoffs {first}-{window.requested_training_cutoffs}"
        )
        notes.append(
            f"the oldest {window.skipped_training_cutoffs} of the {window.requested_training_cutoffs} training "
            f"cutoffs ({which}) were skipped: they fall less than min_history_days ({window.min_history_days}) "
            f"days after the data starts on {window.data_start_date}; to use them, lower training_cutoffs, "
            "cutoff_stride_days or future_days, or load more history"
        )
    if window.configured_past_days is not None and window.configured_past_days > window.past_days:
        notes.append(
            f"past_days {window.configured_past_days} is longer than the {window.history_days} days of history "
            f"every training cutoff has; the features use the last {window.past_days} days (what past_days: all "
            "says)"
        )
    return notes


def _safe(metric, y: np.ndarray, p: np.ndarray) -> float | None:
    return float(metric(y, p)) if 0 < y.sum() < len(y) else None


def fit_segment(
    rows: pd.DataFrame,
    event_rows: pd.DataFrame,
    user_rows: pd.DataFrame,
    attributes: list[str],
    settings: Settings,
) -> SegmentFit:
    """Fit one segment. ``rows``: cutoff_at, cutoff_number, user_id, label (training cutoffs only)."""
    rows = rows.sort_values(["cutoff_number", "user_id"], kind="stable").reset_index(drop=True)
    labels = rows["label"].to_numpy(dtype=int)
    cutoff_numbers = sorted(rows["cutoff_number"].unique())
    positives, total = int(labels.sum()), len(labels)
    metrics: dict = {
        "training_rows": total,
        "training_positives": positives,
        "training_cutoffs": len(cutoff_numbers),
    }
    need = settings.min_class_rows
    if positives < need or total - positives < need or len(cutoff_numbers) < 3:
        return SegmentFit(
            "insufficient_data",
            f"{positives} positive and {total - positives} negative rows over {len(cutoff_numbers)} training "
            f"cutoffs; a model needs at least {need} of each (var min_class_rows) and 3 cutoffs",
            metrics,
        )

    terms = build_terms(event_rows, user_rows, attributes, settings)
    matrix = design_matrix(rows, event_rows, user_rows, terms)
    number = rows["cutoff_number"].to_numpy()

    # Out-of-time predictions for each cutoff j from a model fit only on older cutoffs (> j).
    folds: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    fold_models: dict[int, FittedModel] = {}
    for j in cutoff_numbers[:-1]:
        train, test = number > j, number == j
        if not train.any() or labels[train].min() == labels[train].max():
            continue
        model = fit_logistic(matrix[train], labels[train], terms, settings.regularization_c)
        fold_models[j] = model
        folds[j] = (model.predict_proba(project(matrix[test], terms, model)), labels[test])

    newest = cutoff_numbers[0]
    if newest not in folds:
        return SegmentFit("insufficient_data", "the older cutoffs hold only one class; nothing to learn", metrics)
    scores, y = folds[newest]
    metrics.update(
        validation_cutoff_number=int(newest),
        validation_rows=len(y),
        validation_positives=int(y.sum()),
        validation_auc=_safe(roc_auc_score, y, scores),
        validation_pr_auc=_safe(average_precision_score, y, scores),
        validation_brier=float(brier_score_loss(y, scores)),
    )

    # Backtest the threshold rule: choose on cutoff j + 1, check on the newer cutoff j.
    held, shortfalls, last_realised, detail = 0, [], None, []
    pairs = [(older, newer) for newer, older in zip(cutoff_numbers, cutoff_numbers[1:], strict=False)]
    pairs = [(o, n) for o, n in pairs if o in folds and n in folds]
    for older, newer in pairs:
        chosen = choose_threshold(
            *folds[older],
            settings.requested_precision,
            settings.min_predicted_positives,
            settings.threshold_rule,
        )
        if chosen.threshold is None:
            continue
        realised = realised_precision(*folds[newer], chosen.threshold)
        if realised is None:
            continue
        held += realised >= settings.requested_precision
        shortfalls.append(max(0.0, settings.requested_precision - realised))
        detail.append((realised, float((folds[newer][0] >= chosen.threshold).mean())))
        if newer == newest:
            last_realised = realised
    metrics.update(
        backtest_pairs=len(shortfalls),
        backtest_held=int(held),
        backtest_mean_shortfall=float(np.mean(shortfalls)) if shortfalls else None,
        backtest_last_realised_precision=last_realised,
        backtest_detail=detail,
    )

    chosen = choose_threshold(
        scores, y, settings.requested_precision, settings.min_predicted_positives, settings.threshold_rule
    )
    metrics.update(
        threshold=chosen.threshold,
        validation_precision=chosen.precision,
        validation_recall=chosen.recall,
        validation_audience_share=chosen.audience_share,
        best_reachable_precision=chosen.best_reachable_precision,
    )
    scoring_model = fit_logistic(matrix, labels, terms, settings.regularization_c)
    models = {"validation": fold_models[newest], "scoring": scoring_model}
    if chosen.threshold is None:
        best = chosen.best_reachable_precision
        reach = "no audience" if best is None else f"at most {best:.3f}"
        return SegmentFit(
            "precision_unreachable",
            f"no threshold reaches precision {settings.requested_precision:.2f} on the validation cutoff "
            f"with at least {settings.min_predicted_positives} users ({reach}); the segment is empty",
            metrics,
            models,
        )
    return SegmentFit("ok", "ok", metrics, models)


MODEL_COLUMNS = {
    "segment_name": "string",
    "model_role": "string",
    "term_order": "int64",
    "term_kind": "string",
    "event_name": "string",
    "feature_name": "string",
    "attribute_value": "string",
    "transform": "string",
    "fill_value": "float64",
    "center": "float64",
    "scale": "float64",
    "coefficient": "float64",
    "status": "string",
    "status_message": "string",
    "requested_precision": "float64",
    "threshold_rule": "string",
    "threshold": "float64",
    "training_rows": "int64",
    "training_positives": "int64",
    "training_cutoffs": "int64",
    "validation_cutoff_number": "int64",
    "validation_rows": "int64",
    "validation_positives": "int64",
    "validation_auc": "float64",
    "validation_pr_auc": "float64",
    "validation_brier": "float64",
    "validation_precision": "float64",
    "validation_recall": "float64",
    "validation_audience_share": "float64",
    "best_reachable_precision": "float64",
    "backtest_pairs": "int64",
    "backtest_held": "int64",
    "backtest_mean_shortfall": "float64",
    "backtest_last_realised_precision": "float64",
}


def model_rows(segment_name: str, fit: SegmentFit, settings: Settings) -> pd.DataFrame:
    """The fit as rows: per model role, an intercept row and one row per term."""
    shared = {
        "segment_name": segment_name,
        "status": fit.status,
        "status_message": fit.message,
        "requested_precision": settings.requested_precision,
        "threshold_rule": settings.threshold_rule,
        **fit.metrics,
    }
    rows = []
    if not fit.models:
        rows.append({**shared, "model_role": "none", "term_order": 0, "term_kind": "none"})
    for role, model in fit.models.items():
        rows.append(
            {
                **shared,
                "model_role": role,
                "term_order": 0,
                "term_kind": "intercept",
                "coefficient": model.intercept,
            }
        )
        for i, t in enumerate(model.terms):
            rows.append(
                {
                    **shared,
                    "model_role": role,
                    "term_order": i + 1,
                    "term_kind": t.kind,
                    "event_name": t.event_name,
                    "feature_name": t.feature_name,
                    "attribute_value": t.attribute_value,
                    "transform": t.transform,
                    "fill_value": t.fill_value,
                    "center": float(model.center[i]),
                    "scale": float(model.scale[i]),
                    "coefficient": float(model.coefficients[i]),
                }
            )
    frame = pd.DataFrame(rows)
    for column, dtype in MODEL_COLUMNS.items():
        if column not in frame:
            frame[column] = None
        frame[column] = frame[column].astype(
            "Float64" if dtype == "float64" else "Int64" if dtype == "int64" else dtype
        )
    return frame[list(MODEL_COLUMNS)]


def empty_model_rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            c: pd.Series(dtype="Float64" if d == "float64" else "Int64" if d == "int64" else d)
            for c, d in MODEL_COLUMNS.items()
        }
    )
    return frame


def load_segment_inputs(
    session, segment_name: str, feature_events: list[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read one segment's sampled training rows and their features (the views are created by the
    segment_models dbt model). The sample is bounded in SQL, so memory does not grow with the events."""
    rows = session.execute(
        "select cutoff_at, cutoff_number, user_id, label from predseg_training_rows where segment_name = ?",
        [segment_name],
    ).df()
    event_filter = "" if feature_events is None else "and list_contains(?, f.event_name)"
    params = [segment_name] + ([list(feature_events)] if feature_events is not None else [])
    events = session.execute(
        f"""
        select f.*
        from predseg_training_rows as r
        inner join predseg_event_features as f
            on r.cutoff_at = f.cutoff_at and r.past_days = f.past_days and r.user_id = f.user_id
        where r.segment_name = ? {event_filter}
        """,
        params,
    ).df()
    users = session.execute(
        """
        select u.*
        from predseg_training_rows as r
        inner join predseg_user_features as u
            on r.cutoff_at = u.cutoff_at and r.past_days = u.past_days and r.user_id = u.user_id
        where r.segment_name = ?
        """,
        [segment_name],
    ).df()
    return rows, events, users
