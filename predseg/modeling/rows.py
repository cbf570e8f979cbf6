"""The fit as data: the rows of segment_models (one per segment, model role and term), whose columns SQL
reads to score, select and report. Every metric of SegmentMetrics becomes a column, repeated on each row."""

from __future__ import annotations

from dataclasses import asdict, fields

import pandas as pd

from predseg.modeling.segment import SegmentFit, SegmentMetrics, Settings

TERM_COLUMNS = {
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
    "expected_z": "float64",
}


def _metric_type(annotation: str) -> str:
    if "bool" in annotation:
        return "boolean"
    if "int" in annotation:
        return "int64"
    return "float64"


MODEL_COLUMNS = {
    **TERM_COLUMNS,
    **{f.name: _metric_type(str(f.type)) for f in fields(SegmentMetrics)},
    "fit_key": "string",  # set by segment_models: what the fit is a function of (int_training_state)
}
PANDAS_TYPES = {"float64": "Float64", "int64": "Int64", "boolean": "boolean", "string": "string"}


def model_rows(segment_name: str, fit: SegmentFit, settings: Settings) -> pd.DataFrame:
    """The fit as rows: per model role, an intercept row and one row per term."""
    shared = {
        "segment_name": segment_name,
        "status": fit.status,
        "status_message": fit.message,
        "requested_precision": settings.requested_precision,
        "threshold_rule": settings.threshold_rule,
        "expected_z": settings.expected_z,
        **asdict(fit.metrics),
    }
    rows = []
    if not fit.models:
        rows.append({**shared, "model_role": "none", "term_order": 0, "term_kind": "none"})
    for role, model in fit.models.items():
        rows.append(
            {**shared, "model_role": role, "term_order": 0, "term_kind": "intercept", "coefficient": model.intercept}
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
    return typed_model_rows(pd.DataFrame(rows))


def typed_model_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of segment_models in their order and declared types (a missing one null). Rows read back
    from the table keep their types so: a column null on every row (attribute_value, without categorical
    attributes) would otherwise reach the database untyped and no longer match the stored table."""
    frame = frame.copy()
    for column, dtype in MODEL_COLUMNS.items():
        if column not in frame:
            frame[column] = None
        frame[column] = frame[column].astype(PANDAS_TYPES[dtype])
    return frame[list(MODEL_COLUMNS)]


def empty_model_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=PANDAS_TYPES[d]) for c, d in MODEL_COLUMNS.items()})
