"""The model's terms: which features enter, how they are transformed and filled when missing, and the
design matrix built from the long feature tables (one row per user and event, or per user)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from predseg.modeling.catalog import FeatureCatalog

MAX_ATTRIBUTE_VALUES = 20
MIN_ATTRIBUTE_SHARE = 0.01


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


def build_terms(
    event_rows: pd.DataFrame,
    user_rows: pd.DataFrame,
    attributes: list[str],
    past_days: int,
    history_days: int,
    catalog: FeatureCatalog,
) -> list[Term]:
    """The candidate terms for a segment: every event feature of the catalog for every event seen in its
    training rows (each transform a term), the user-level features, and indicators for the common values
    of each categorical attribute. When the past window is the whole history window (``past_days: all``),
    the lifetime event features repeat the window ones and are left out."""
    terms: list[Term] = []
    features = [f for f in catalog.of_scope("event") if not (f.is_lifetime and past_days >= history_days)]
    for event in sorted(event_rows["event_name"].dropna().unique()):
        for feature in features:
            fill = feature.fill(past_days, history_days)
            for how in feature.transforms:
                terms.append(Term("event", feature.name, event_name=event, transform=how, fill_value=fill))
    for feature in catalog.of_scope("user"):
        for how in feature.transforms:
            terms.append(Term("user", feature.name, transform=how, fill_value=feature.fill(past_days, history_days)))
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
        names = list(dict.fromkeys(t.feature_name for t in event_terms))
        wide = wanted.set_index(["cutoff_at", "user_id", "event_name"])[names].unstack("event_name")
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
