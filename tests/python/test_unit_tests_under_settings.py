"""A build with every setting a user may change away from its default. dbt's unit tests run inside every
user's `dbt build`, with the user's vars: a unit test that reads a var it does not pin fails under a setting it
was not written for and skips every model after it (as `persona_as_feature: true` and `cutoff_stride_days: 3`
once did). So the whole build, its unit and data tests included, must pass under changed settings too."""

from __future__ import annotations

from conftest import LAPSING_ALL_USERS, demo_segments, project_on

# Every var that shapes a model, at a valid value other than the default (dbt_project.yml).
CHANGED_SETTINGS = {
    # reading the input
    "decimal_separator": ",",
    "event_time_format": "%d.%m.%Y %H:%M",
    "future_event_tolerance_hours": 2,
    "max_event_value": 1000,
    "keep_duplicate_events": True,
    "stray_event_gap_days": 10,
    "stray_event_max_share": 0.05,
    "late_event_days": 5,
    "categorical_attributes": ["plan"],
    # checks on the input
    "max_rejected_share": 0.9,
    "partial_day_min_share": 0.5,
    "min_attribute_match_share": 0.9,
    "max_days_after_last_event": 10,
    # time
    "training_cutoffs": 4,
    "cutoff_stride_days": 3,
    "min_history_days": 14,
    "max_history_days": 200,
    "training_panel_users": 100,
    "data_test_sample_users": 100,
    "data_test_full_history": True,
    # models
    "max_training_rows_per_segment": 1000,
    "min_class_rows": 10,
    "min_predicted_positives": 5,
    "regularization_c": 0.5,
    "precision_levels": {"high": 0.95, "low": 0.6},
    "threshold_rule": "wilson",
    "expected_precision_z": 1.0,
    "calibration_rule": "trend",
    "min_lift_over_base_rate": 1.5,
    "min_auc_gain_over_baseline": 0.05,
    "fail_on_segment_error": True,
    "max_feature_events": 2,
    # audiences and their history
    "holdout_share": 0.2,
    "holdout_salt": "another salt",
    "min_member_jaccard": 0.7,
    "max_score_psi": 0.5,
    "max_base_rate_change": 0.3,
    # personas
    "persona_past_days": 60,
    "persona_k_min": 2,
    "persona_k_max": 5,
    "persona_sample_users": 500,
    "persona_silhouette_users": 300,
    "persona_bootstrap_runs": 3,
    "persona_min_stability": 0.5,
    "persona_min_silhouette_gain": 0.1,
    "persona_seed": 3,
    "persona_match_max_distance": 2.0,
    "persona_as_feature": True,
    # best send times
    "best_time_lookback_days": 30,
    "best_time_events": ["purchase"],
    "best_hour_tie_break": "latest",
    "min_best_hour_active_days": 3,
}


def test_a_build_with_every_setting_changed_passes_its_unit_and_data_tests(small_sim, tmp_path):
    segments = demo_segments() + [LAPSING_ALL_USERS]
    project = project_on(small_sim, tmp_path, segments=segments, **CHANGED_SETTINGS)
    result = project.dbt("build", unit_tests=True, check=False)
    failed = [line.strip() for line in result.stdout.splitlines() if " FAIL " in line or " ERROR " in line]
    assert result.returncode == 0, "\n".join(failed) or result.stdout[-4000:]
    assert " ERROR=0 " in result.stdout and " SKIP=0 " in result.stdout

    # the settings took effect: model cutoffs 3 days apart, 4 of them per segment
    cutoffs = project.query(
        "select segment_name, cutoff_at from int_cutoffs where is_model_cutoff order by segment_name, cutoff_at"
    )
    steps = cutoffs.groupby("segment_name")["cutoff_at"].diff().dropna().dt.days
    assert set(steps) == {3}
    assert cutoffs.groupby("segment_name").size().tolist() == [4] * len(segments)
    report = project.query("select segment_name, status, status_message from segment_model_report")
    assert sorted(report["segment_name"]) == sorted(segment["name"] for segment in segments)
    # two event names give features, and the target event too when it is not among them
    assert report["status_message"].str.contains(r"features from the [23] of \d+ events", regex=True).all()
