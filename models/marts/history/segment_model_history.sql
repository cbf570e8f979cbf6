-- Every night's model of every segment: the run's status, definition, threshold, expected precision,
-- out-of-time validation metrics and audience (one copy per term) next to the scoring model's terms and
-- coefficients, so the drift of a coefficient, a threshold or an AUC is a query. One row per segment,
-- as_of_date and term; term_order 0 holds the intercept (or, for a segment without a model, the only row).
-- depends_on: {{ ref('int_data_span') }}
with

report as (

    select * from {{ ref('segment_model_report') }}

),

definitions as (

    select
        segment_name,
        eligible_event,
        min_value
    from {{ ref('int_segment_definitions') }}

),

terms as (

    select * from {{ ref('segment_models') }}
    where model_role in ('scoring', 'none')

),

final as (

    select
        report.segment_name,
        report.as_of_date,
        terms.term_order,
        report.run_id,
        report.status,
        report.status_message,
        report.status in ('ok', 'precision_unreachable') as is_scored,
        report.launch_check,
        report.direction,
        report.target_event,
        definitions.eligible_event,
        report.population,
        definitions.min_value,
        report.past_days,
        report.history_days,
        report.future_days,
        report.precision_level,
        report.requested_precision,
        report.threshold_rule,
        report.calibration_offset,
        report.threshold,
        report.expected_base_rate_today,
        report.expected_precision,
        report.expected_precision_low,
        report.expected_precision_high,
        report.eligible_users,
        report.audience_size,
        report.training_rows,
        report.training_positives,
        report.validation_cutoff_at,
        report.validation_base_rate,
        report.validation_auc,
        report.validation_pr_auc,
        report.validation_brier,
        report.validation_precision,
        report.validation_recall,
        report.baseline_auc,
        report.backtest_pairs,
        report.backtest_held,
        terms.term_kind,
        terms.event_name,
        terms.feature_name,
        terms.attribute_value,
        terms.transform,
        terms.fill_value,
        terms.center,
        terms.scale,
        terms.coefficient
    from report
    inner join definitions on report.segment_name = definitions.segment_name
    inner join terms on report.segment_name = terms.segment_name

)

select * from final
