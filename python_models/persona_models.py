"""Fit the personas on a bounded sample on refit days, keep them on the nights between, and keep every
night's rows (see predseg.personas)."""

import pandas as pd


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        incremental_strategy="replace_night",
        on_schema_change="append_new_columns",
        full_refresh=False,
    )
    from predseg.threads import single_threaded_blas

    single_threaded_blas()  # bit-for-bit reproducible fits (see predseg.threads)
    from predseg.modeling.io import query, register_view, to_pandas
    from predseg.personas import PersonaFit, fit_personas, kept_rows, match_ids, rows, settings_key

    # dbt hands a Python model only the meta keys it reads literally: dbt.config.meta_get("name")
    sample_users = int(dbt.config.meta_get("persona_sample_users"))
    max_distance = float(dbt.config.meta_get("persona_match_max_distance"))
    key = settings_key(
        {
            "persona_sample_users": dbt.config.meta_get("persona_sample_users"),
            "persona_silhouette_users": dbt.config.meta_get("persona_silhouette_users"),
            "persona_k_min": dbt.config.meta_get("persona_k_min"),
            "persona_k_max": dbt.config.meta_get("persona_k_max"),
            "persona_bootstrap_runs": dbt.config.meta_get("persona_bootstrap_runs"),
            "persona_min_stability": dbt.config.meta_get("persona_min_stability"),
            "persona_min_silhouette_gain": dbt.config.meta_get("persona_min_silhouette_gain"),
            "persona_seed": dbt.config.meta_get("persona_seed"),
            "persona_match_max_distance": dbt.config.meta_get("persona_match_max_distance"),
            "persona_past_days": dbt.config.meta_get("persona_past_days"),
        }
    )
    span = to_pandas(dbt.ref("int_data_span"))  # dbt finds a ref only in a call's own arguments
    as_of = pd.Timestamp(span["as_of_date"].iloc[0]).date()
    refit_days = to_pandas(dbt.ref("int_refit_days"))
    tonight = refit_days[
        pd.to_datetime(refit_days["scoring_cutoff_at"]) == pd.Timestamp(span["scoring_cutoff_at"].iloc[0])
    ]
    refit_as_of = (pd.Timestamp(tonight["refit_anchor_at"].iloc[0]) - pd.Timedelta(days=1)).date()

    # between two refit days: the personas fit since the refit day (under the same settings), as tonight's
    if dbt.is_incremental and refit_as_of < as_of:
        columns = set(query(session, f"select * from {dbt.this} limit 0", []).columns)
        if "settings_key" in columns:
            held = kept_rows(
                query(
                    session,
                    f"select * from {dbt.this} where as_of_date >= ? and as_of_date < ? and settings_key = ?",
                    [refit_as_of, as_of, key],
                ),
                as_of,
            )
            if len(held):
                fitted = held["fitted_as_of_date"].iloc[0]
                print(f"persona_models: kept the personas fit as of {fitted} (refit day {refit_as_of}, same settings)")
                return held
    # the sample: a fixed set of users (by the md5 of their id), in a fixed random order
    register_view(dbt.ref("int_user_behaviour"), "predseg_user_behaviour")
    sample = query(
        session,
        "select * from predseg_user_behaviour where cutoff_role = 'scoring' "
        f"order by md5(user_id), user_id limit {sample_users}",
        [],
    )
    try:
        fit = fit_personas(
            sample,
            k_min=int(dbt.config.meta_get("persona_k_min")),
            k_max=int(dbt.config.meta_get("persona_k_max")),
            silhouette_users=int(dbt.config.meta_get("persona_silhouette_users")),
            bootstrap_runs=int(dbt.config.meta_get("persona_bootstrap_runs")),
            min_stability=float(dbt.config.meta_get("persona_min_stability")),
            seed=int(dbt.config.meta_get("persona_seed")),
            min_silhouette_gain=float(dbt.config.meta_get("persona_min_silhouette_gain")),
        )
    except Exception as error:  # one failed fit is reported, it does not stop the build
        fit = PersonaFit("error", f"the clustering failed: {type(error).__name__}: {error}", len(sample))

    if dbt.is_incremental and fit.persona_ids:
        # the latest earlier night's centres, so that a persona keeps its id while its behaviour stays put
        previous = query(
            session,
            f"select persona_id, feature_name, raw_centroid from {dbt.this} "
            f"where record_type = 'centroid' and as_of_date = ("
            f"select max(as_of_date) from {dbt.this} where as_of_date < ? and record_type = 'centroid')",
            [as_of],
        )
        wide = previous.pivot(index="persona_id", columns="feature_name", values="raw_centroid")
        if len(wide) and set(fit.features) <= set(wide.columns):
            centres = {int(i): wide.loc[i, list(fit.features)].to_numpy(dtype=float) for i in wide.index}
            fit.persona_ids = match_ids(fit, centres, max_distance)
    return rows(fit, as_of, key)
