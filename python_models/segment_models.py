"""Fit one logistic regression per segment and write the model as data (see predseg.modeling).

While one segment is fit, the next one's sample is read in another thread, through its own cursor: the fit
runs single-threaded numerical code, and the read waits on the database, so the two overlap. (Fitting two
segments at once would save more time, but holds two fits' arrays at once: more memory than a small
machine's build can spare.) The fits and their rows are the same as one after the other."""

from concurrent.futures import ThreadPoolExecutor

import pandas as pd


def model(dbt, session):
    # materialized: a table, or with refit_every_days > 1 on DuckDB incremental (see the YAML): a night
    # keeps the rows of each segment whose fit_key (int_training_state) is the one they were fit under
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
        typed_model_rows,
        window_notes,
    )
    from predseg.modeling.io import drop_columns, query, register_view, to_pandas

    min_class_rows = int(dbt.config.meta_get("min_class_rows"))
    min_predicted_positives = int(dbt.config.meta_get("min_predicted_positives"))
    regularization_c = float(dbt.config.meta_get("regularization_c"))
    threshold_rule = str(dbt.config.meta_get("threshold_rule"))
    requested_training_cutoffs = int(dbt.config.meta_get("training_cutoffs"))
    min_history_days = int(dbt.config.meta_get("min_history_days"))
    expected_z = float(dbt.config.meta_get("expected_precision_z"))
    calibration = str(dbt.config.meta_get("calibration_rule"))
    max_feature_events = int(dbt.config.meta_get("max_feature_events"))

    catalog = FeatureCatalog.from_frame(to_pandas(dbt.ref("feature_catalog")))
    definitions = to_pandas(dbt.ref("int_segment_definitions")).sort_values("segment_order")
    windows = to_pandas(dbt.ref("int_cutoffs").filter("cutoff_role = 'scoring'")).set_index("segment_name")
    user_features = dbt.ref("int_user_features")
    # the categorical attributes are the attribute_ columns SQL made (one definition of the list)
    attributes = [c.removeprefix("attribute_") for c in user_features.columns if c.startswith("attribute_")]
    fit_keys = to_pandas(dbt.ref("int_training_state")).set_index("segment_name")["fit_key"]
    kept_fits = {}
    if dbt.is_incremental:
        held = query(session, f"select * from {dbt.this} where fit_key is not null", [])
        for name, rows in held.groupby("segment_name", sort=False):
            key = fit_keys.get(name)
            if isinstance(key, str) and (rows["fit_key"] == key).all():
                kept_fits[name] = typed_model_rows(rows.reset_index(drop=True))
    register_view(dbt.ref("int_segment_training_rows"), "predseg_training_rows")
    # the keys that tell a later night which rows to keep (int_training_state) are not features: the fits do
    # not read them (the per-event features' key, a long text on every row, took a third of the memory of
    # reading a sample)
    keys = ("training_data_key", "training_rows_key")
    register_view(drop_columns(dbt.ref("int_user_event_features"), keys), "predseg_event_features")
    register_view(drop_columns(user_features, keys), "predseg_user_features")

    def settings_of(segment) -> tuple[Settings, list[str]]:
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
        return settings, notes

    # a DuckDB connection serves one query at a time: the reading thread has its own cursor
    reader = session.cursor() if hasattr(session, "cursor") else session

    def problem_of(segment) -> str | None:
        """Why the segment cannot be fit whatever the data says (an event it names never occurs), or None."""
        problem = segment.definition_problem
        return problem if isinstance(problem, str) else None

    def read(segment):
        """The segment's sample, or the error reading it raised (None: nothing to read)."""
        if problem_of(segment) or segment.segment_name in kept_fits:
            return None
        listed = segment.feature_events
        feature_events = list(listed) if isinstance(listed, list | tuple) or hasattr(listed, "tolist") else None
        kept = tuple(str(e) for e in (segment.target_event, segment.eligible_event) if isinstance(e, str))
        try:
            return load_segment_inputs(reader, segment.segment_name, feature_events, max_feature_events, kept)
        except Exception as error:  # one broken segment must not take the others down
            return error

    segments = list(definitions.itertuples(index=False))
    frames = [empty_model_rows()]
    with ThreadPoolExecutor(max_workers=1) as reading:
        pending = reading.submit(read, segments[0]) if segments else None
        for position, segment in enumerate(segments):
            inputs = pending.result()
            pending = reading.submit(read, segments[position + 1]) if position + 1 < len(segments) else None
            if segment.segment_name in kept_fits:
                frames.append(kept_fits[segment.segment_name])
                continue
            settings, notes = settings_of(segment)
            problem = problem_of(segment)
            try:
                if problem:
                    fit, notes = SegmentFit("error", problem), []
                elif isinstance(inputs, Exception):
                    raise inputs
                else:
                    seen, used = inputs[1].attrs.get("events_seen", 0), inputs[1]["event_name"].nunique()
                    if seen > max_feature_events and used < seen:
                        notes = [
                            *notes,
                            f"features from the {used} of {seen} events the most training rows did (var "
                            "max_feature_events; the segment's feature_events chooses them)",
                        ]
                    fit = fit_segment(*inputs, attributes, settings, catalog)
            except Exception as error:  # one broken segment must not take the others down
                fit = SegmentFit("error", f"{type(error).__name__}: {error}")
            del inputs
            if notes:
                fit.message = "; ".join([fit.message, *notes])
            rows = model_rows(segment.segment_name, fit, settings)
            key = fit_keys.get(segment.segment_name)
            rows["fit_key"] = pd.Series([key if isinstance(key, str) else None] * len(rows), dtype="string")
            frames.append(rows)
    if kept_fits:
        print(f"segment_models: kept the fits of {', '.join(kept_fits)} (their fit_key is unchanged)")
    return pd.concat(frames, ignore_index=True)
