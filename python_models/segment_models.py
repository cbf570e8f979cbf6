"""Fit one logistic regression per segment and write the model as data (see predseg.modeling)."""

import pandas as pd


def model(dbt, session):
    dbt.config(materialized="table")
    from predseg.modeling import (
        SegmentFit,
        Settings,
        empty_model_rows,
        fit_segment,
        load_segment_inputs,
        model_rows,
    )

    min_class_rows = int(dbt.config.meta_get("min_class_rows"))
    min_predicted_positives = int(dbt.config.meta_get("min_predicted_positives"))
    regularization_c = float(dbt.config.meta_get("regularization_c"))
    threshold_rule = str(dbt.config.meta_get("threshold_rule"))
    recency_cap_days = float(dbt.config.meta_get("recency_cap_days"))
    attributes = [a for a in str(dbt.config.meta_get("categorical_attributes")).split(",") if a]

    definitions = dbt.ref("int_segment_definitions").df().sort_values("segment_order")
    dbt.ref("int_segment_training_rows").create_view("predseg_training_rows", replace=True)
    dbt.ref("int_user_event_features").create_view("predseg_event_features", replace=True)
    dbt.ref("int_user_features").create_view("predseg_user_features", replace=True)

    frames = [empty_model_rows()]
    for segment in definitions.itertuples(index=False):
        settings = Settings(
            past_days=int(segment.past_days),
            requested_precision=float(segment.requested_precision),
            recency_cap_days=recency_cap_days,
            min_class_rows=min_class_rows,
            min_predicted_positives=min_predicted_positives,
            regularization_c=regularization_c,
            threshold_rule=threshold_rule,
        )
        listed = segment.feature_events
        feature_events = list(listed) if isinstance(listed, list | tuple) or hasattr(listed, "tolist") else None
        try:
            rows, events, users = load_segment_inputs(session, segment.segment_name, feature_events)
            fit = fit_segment(rows, events, users, attributes, settings)
        except Exception as error:  # one broken segment must not take the others down
            fit = SegmentFit("error", f"{type(error).__name__}: {error}")
        frames.append(model_rows(segment.segment_name, fit, settings))
    return pd.concat(frames, ignore_index=True)
