-- One row per segment for this run: status, training data, out-of-time quality of the model, the drift
-- calibration and the base rate it assumes today, today's threshold and audience with the precision they
-- promise (and its interval), the rule's P3-spaced backtest, the same numbers for the naive rule every
-- model must beat ("did the target event in the last future_days days" for will_do, "did not" for
-- will_not_do), and a launch check that says when a segment is no better than that rule or when the
-- requested precision is at or below the base rate (everyone qualifies).
with

models as (

    select * from {{ ref('segment_models') }}
    where term_order = 0 and model_role in ('scoring', 'none')

),

definitions as (

    select * from {{ ref('int_segment_definitions') }}

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}

),

refit_days as (

    select * from {{ ref('int_refit_days') }}

),

scores as (

    select * from {{ ref('segment_scores') }}

),

baseline as (

    select * from {{ ref('int_segment_baselines') }}

),

selection as (

    select * from {{ ref('int_segment_selection') }}

),

audience as (

    select
        segment_name,
        count(*) as eligible_users,
        count(case when is_member then 1 end) as audience_size,
        max(score) as top_score,
        -- users were scored today and none of them qualifies
        count(case when is_member then 1 end) = 0 as nobody_qualifies
    from scores
    group by 1

),

reported as (

    select
        definitions.segment_name,
        scoring.as_of_date,
        {{ run_id() }} as run_id,
        -- a model that reached the precision on its labelled cutoff but selects nobody today: the segment
        -- is as empty as one whose precision is out of reach, and says why
        case
            when models.status = 'ok' and audience.nobody_qualifies
                then 'precision_unreachable'
            else models.status
        end as status,
        case
            when models.status = 'ok' and audience.nobody_qualifies
                then
                    'nobody qualifies today for precision '
                    || cast(round(models.requested_precision, 2) as {{ dbt.type_string() }})
                    || ' (threshold rule ' || models.threshold_rule || '; the highest probability today is '
                    || cast(round(audience.top_score, 3) as {{ dbt.type_string() }}) || ' among '
                    || cast(audience.eligible_users as {{ dbt.type_string() }})
                    || ' eligible users, though the precision was reached on the labelled cutoff):'
                    || ' the segment is empty tonight'
            else models.status_message
        end as status_message,
        definitions.direction,
        definitions.target_event,
        definitions.population,
        scoring.past_days,
        definitions.past_days is null as is_all_history,
        scoring.history_days,
        definitions.future_days,
        models.training_rows,
        models.training_positives,
        cast(models.training_positives as double) / nullif(models.training_rows, 0) as training_base_rate,
        models.training_cutoffs,
        cast({{ dbt.dateadd('day', -1, 'refit_days.refit_anchor_at') }} as date) as refit_as_of_date,
        baseline.validation_cutoff_at,
        models.validation_rows,
        baseline.validation_base_rate,
        models.validation_auc,
        models.validation_pr_auc,
        models.validation_brier,
        definitions.precision_level,
        models.requested_precision,
        models.threshold_rule,
        models.calibration_offset,
        selection.expected_base_rate_today,
        selection.threshold,
        selection.expected_precision,
        selection.expected_precision_low,
        selection.expected_precision_high,
        models.validation_precision,
        models.validation_recall,
        models.validation_audience_share,
        coalesce(selection.expected_precision, models.validation_precision)
        / nullif(coalesce(selection.expected_base_rate_today, baseline.validation_base_rate), 0) as lift,
        models.best_reachable_precision,
        coalesce(audience.eligible_users, 0) as eligible_users,
        coalesce(audience.audience_size, 0) as audience_size,
        models.backtest_pairs,
        models.backtest_held,
        models.backtest_mean_shortfall,
        models.backtest_last_realised_precision,
        baseline.baseline_rule,
        baseline.baseline_auc,
        baseline.baseline_precision,
        baseline.baseline_recall,
        baseline.baseline_audience_share,
        baseline.baseline_precision / nullif(baseline.validation_base_rate, 0) as baseline_lift
    from definitions
    inner join models on definitions.segment_name = models.segment_name
    inner join cutoffs as scoring
        on
            definitions.segment_name = scoring.segment_name
            and scoring.cutoff_role = 'scoring'
    inner join refit_days on scoring.cutoff_at = refit_days.scoring_cutoff_at
    left join baseline on definitions.segment_name = baseline.segment_name
    left join audience on definitions.segment_name = audience.segment_name
    left join selection on definitions.segment_name = selection.segment_name

),

final as (

    select
        *,
        case
            when status not in ('ok', 'precision_unreachable') then null
            when requested_precision <= expected_base_rate_today then 'everyone_qualifies'
            when
                lift < {{ var('min_lift_over_base_rate') }}
                or validation_auc - baseline_auc < {{ var('min_auc_gain_over_baseline') }}
                then 'no_better_than_baseline'
            else 'ok'
        end as launch_check
    from reported

)

select * from final
