"""Publish this run's consumer tables together into the published file (see predseg.publish)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from predseg.publish import publish

    # every consumer table of the run (dbt runs this model after all of them and their tests)
    consumer_tables = {
        "segment_scores": dbt.ref("segment_scores"),
        "segment_members": dbt.ref("segment_members"),
        "segment_model_report": dbt.ref("segment_model_report"),
        "segment_precision_curve": dbt.ref("segment_precision_curve"),
        "user_best_send_hours": dbt.ref("user_best_send_hours"),
        "app_best_send_hours": dbt.ref("app_best_send_hours"),
        "campaign_send_plan": dbt.ref("campaign_send_plan"),
        "campaign_send_summary": dbt.ref("campaign_send_summary"),
        "best_time_backtest": dbt.ref("best_time_backtest"),
        "user_behaviour_profile": dbt.ref("user_behaviour_profile"),
        "user_personas": dbt.ref("user_personas"),
        "persona_profiles": dbt.ref("persona_profiles"),
        "persona_model_report": dbt.ref("persona_model_report"),
        "persona_actionability": dbt.ref("persona_actionability"),
        "segment_calibration": dbt.ref("segment_calibration"),
        "app_hourly_activity": dbt.ref("app_hourly_activity"),
    }
    # the history tables (one slice per night) and the column naming the night each row was written on
    history_tables = {
        "segment_model_history": (dbt.ref("segment_model_history"), "as_of_date"),
        "segment_membership_history": (dbt.ref("segment_membership_history"), "as_of_date"),
        "segment_changes": (dbt.ref("segment_changes"), "as_of_date"),
        "segment_score_distribution": (dbt.ref("segment_score_distribution"), "as_of_date"),
        "segment_stability": (dbt.ref("segment_stability"), "as_of_date"),
        "segment_realised_precision": (dbt.ref("segment_realised_precision"), "judged_as_of_date"),
    }
    configured = dbt.config.meta_get("published_path")
    publication = publish(
        session, list(consumer_tables), configured or None, {name: night for name, (_, night) in history_tables.items()}
    )
    return publication.frame()
