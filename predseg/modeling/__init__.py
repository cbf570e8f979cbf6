"""Logistic regression per segment, purged out-of-time validation, drift calibration, the threshold rules
and their backtest, written as data for SQL to apply.

The dbt Python model ``segment_models`` calls :func:`fit_segment` for each segment and writes what
:func:`model_rows` makes of it. One module per concern:

- ``catalog``: the features as the feature_catalog table lists them (one definition, in dbt);
- ``terms``: which features enter, their transforms and fill values, the design matrix;
- ``fit``: standardizing and fitting a logistic regression;
- ``folds``: purged folds spaced like production (a fold's labels end ``future_days`` before it);
- ``calibration``: the logit offset that corrects a model of that staleness;
- ``thresholds``: Wilson bounds, the labelled-cutoff threshold and the expected-precision selection;
- ``selection``: the threshold rules (``expected``, ``wilson``, ``point``) built from those;
- ``backtest``: the rules judged on P3-spaced pairs of folds;
- ``segment``: one segment's fit, as a typed record; ``rows``: the record as segment_models rows;
- ``windows``: status notes about the data; ``io``: reading a segment's bounded sample.
"""

from predseg.modeling.catalog import Feature, FeatureCatalog
from predseg.modeling.fit import FittedModel, fit_logistic, project
from predseg.modeling.io import load_segment_inputs
from predseg.modeling.rows import MODEL_COLUMNS, empty_model_rows, model_rows, typed_model_rows
from predseg.modeling.segment import SegmentFit, SegmentMetrics, Settings, fit_segment
from predseg.modeling.selection import THRESHOLD_RULES
from predseg.modeling.terms import Term, build_terms, design_matrix
from predseg.modeling.thresholds import choose_threshold, select_by_expected_precision, wilson_lower_bound
from predseg.modeling.windows import DataWindow, window_notes

__all__ = [
    "MODEL_COLUMNS",
    "THRESHOLD_RULES",
    "DataWindow",
    "Feature",
    "FeatureCatalog",
    "FittedModel",
    "SegmentFit",
    "SegmentMetrics",
    "Settings",
    "Term",
    "build_terms",
    "choose_threshold",
    "design_matrix",
    "empty_model_rows",
    "fit_logistic",
    "fit_segment",
    "load_segment_inputs",
    "model_rows",
    "typed_model_rows",
    "project",
    "select_by_expected_precision",
    "wilson_lower_bound",
    "window_notes",
]
