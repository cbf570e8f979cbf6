"""Fit one logistic regression per segment and write the model as data (see predseg.modeling).

Segments are fit two at a time, each in its own thread with its own cursor: a fit spends most of its time
in single-threaded numerical code and in reading its sample, so a second core halves the wait. Each fit is
the same to the last bit whichever thread runs it (one BLAS thread, rows in a fixed order), and the rows
come out in the segments' order."""

from concurrent.futures import ThreadPoolExecutor

import pandas as pd

FIT_THREADS = 2


def model(dbt, session):
    dbt.config(materialized="table")
    from predseg.threads import single_threaded_blas

    single_threaded_blas()  # bit-for-bit reproducible fits (see predseg.threads)
    from predseg.modeling import (
        DataWindow,
        FeatureCatalog,
        SegmentFit,
        Settings,
        empty_model_rows,
        fit_segment,
        load_segment_inputs,
        model_rows,
        window_notes,
    )
    from predseg.modeling.io import register_view, to_pandas

    min_class_rows = int(dbt.config.meta_get("min_class_rows"))
    min_predicted_positives = int(dbt.config.meta_get("min_predicted_positives"))
    regularization_c = float(dbt.config.meta_get("regularization_c"))
    threshold_rule = str(dbt.config.meta_get("threshold_rule"))
    requested_training_cutoffs = int(dbt.config.meta_get("training_cutoffs"))
    min_history_days = int(dbt.config.meta_get("min_history_days"))
    expected_z = float(dbt.config.meta_get("expected_precision_z"))
    calibration = str(dbt.config.meta_get("calibration_rule"))

    catalog = FeatureCatalog.from_frame(to_pandas(dbt.ref("feature_catalog")))
    definitions = to_pandas(dbt.ref("int_segment_definitions")).sort_values("segment_order")
    windows = to_pandas(dbt.ref("int_cutoffs").filter("cutoff_role = 'scoring'")).set_index("segment_name")
    user_features = dbt.ref("int_user_features")
    # the categorical attributes are the attribute_ columns SQL made (one definition of the list)
    attributes = [c.removeprefix("attribute_") for c in user_features.columns if c.startswith("attribute_")]
    register_view(dbt.ref("int_segment_training_rows"), "predseg_training_rows")
    register_view(dbt.ref("int_user_event_features"), "predseg_event_features")
    register_view(user_features, "predseg_user_features")

    def fit_one(segment) -> pd.DataFrame:
        single_threaded_blas()  # OpenMP's limit belongs to the thread that sets it
        window = windows.loc[segment.segment_name]
        settings = Settings(
            past_days=int(window.past_days),
            history_days=int(window.history_days),
            future_days=int(segment.future_days),
            model_cutoffs=requested_training_cutoffs,
            expected_z=expected_z,
            calibration=calibration,
            requested_precision=float(segment.requested_precision),
            min_class_rows=min_class_rows,
            min_predicted_positives=min_predicted_positives,
            regularization_c=regularization_c,
            threshold_rule=threshold_rule,
        )
        notes = window_notes(
            DataWindow(
                configured_past_days=None if pd.isna(segment.past_days) else int(segment.past_days),
                past_days=int(window.past_days),
                history_days=int(window.history_days),
                requested_training_cutoffs=requested_training_cutoffs,
                skipped_training_cutoffs=int(window.skipped_training_cutoffs),
                data_start_date=str(window.data_start_date),
                min_history_days=min_history_days,
            )
        )
        listed = segment.feature_events
        feature_events = list(listed) if isinstance(listed, list | tuple) or hasattr(listed, "tolist") else None
        # a DuckDB connection serves one query at a time: each thread reads through its own cursor
        reader = session.cursor() if hasattr(session, "cursor") else session
        try:
            rows, events, users = load_segment_inputs(reader, segment.segment_name, feature_events)
            fit = fit_segment(rows, events, users, attributes, settings, catalog)
        except Exception as error:  # one broken segment must not take the others down
            fit = SegmentFit("error", f"{type(error).__name__}: {error}")
        if notes:
            fit.message = "; ".join([fit.message, *notes])
        return model_rows(segment.segment_name, fit, settings)

    with ThreadPoolExecutor(max_workers=FIT_THREADS) as pool:
        frames = [empty_model_rows(), *pool.map(fit_one, list(definitions.itertuples(index=False)))]
    return pd.concat(frames, ignore_index=True)
