-- One row per segment for this run: status, training data, out-of-time quality of the model, the chosen
-- threshold and what it promises, today's audience, the threshold rule's backtest, and the same numbers
-- for the naive rule every model must beat ("did the target event in the last future_days days" for
-- will_do, "did not" for will_not_do).
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

training_rows as (

    select * from {{ ref('int_segment_training_rows') }}

),

scores as (

    select * from {{ ref('segment_scores') }}

),

events as (

    select
        user_id,
        event_name,
        event_at
    from {{ ref('stg_events') }}

),

validation_cutoffs as (

    select
        segment_name,
        min(cutoff_number) as cutoff_number
    from training_rows
    group by 1

),

validation_rows as (

    select training_rows.*
    from training_rows
    inner join validation_cutoffs
        on
            training_rows.segment_name = validation_cutoffs.segment_name
            and training_rows.cutoff_number = validation_cutoffs.cutoff_number

),

recent_target as (

    select distinct
        validation_rows.segment_name,
        validation_rows.user_id
    from validation_rows
    inner join definitions on validation_rows.segment_name = definitions.segment_name
    inner join events
        on
            validation_rows.user_id = events.user_id
            and definitions.target_event = events.event_name
            and events.event_at >= {{ dbt.dateadd('day', '-definitions.future_days', 'validation_rows.cutoff_at') }}
            and validation_rows.cutoff_at > events.event_at

),

baseline_flags as (

    select
        validation_rows.segment_name,
        validation_rows.cutoff_at,
        validation_rows.label,
        case
            when definitions.direction = 'will_do' then recent_target.user_id is not null
            else recent_target.user_id is null
        end as is_flagged
    from validation_rows
    inner join definitions on validation_rows.segment_name = definitions.segment_name
    left join recent_target
        on
            validation_rows.segment_name = recent_target.segment_name
            and validation_rows.user_id = recent_target.user_id

),

baseline_counts as (

    select
        segment_name,
        min(cutoff_at) as validation_cutoff_at,
        count(*) as validation_rows,
        sum(label) as positives,
        count(case when is_flagged then 1 end) as flagged,
        count(case when is_flagged and label = 1 then 1 end) as true_positives,
        count(case when is_flagged and label = 0 then 1 end) as false_positives
    from baseline_flags
    group by 1

),

baseline as (

    select
        segment_name,
        validation_cutoff_at,
        cast(positives as double) / nullif(validation_rows, 0) as validation_base_rate,
        cast(true_positives as double) / nullif(flagged, 0) as baseline_precision,
        cast(true_positives as double) / nullif(positives, 0) as baseline_recall,
        cast(flagged as double) / nullif(validation_rows, 0) as baseline_audience_share,
        -- a yes/no rule's ROC AUC: the mean of its true positive and true negative rates
        0.5 * (
            cast(true_positives as double) / nullif(positives, 0)
            + 1 - cast(false_positives as double) / nullif(validation_rows - positives, 0)
        ) as baseline_auc
    from baseline_counts

),

audience as (

    select
        segment_name,
        count(*) as eligible_users,
        count(case when is_member then 1 end) as audience_size
    from scores
    group by 1

),

final as (

    select
        definitions.segment_name,
        scoring.as_of_date,
        models.status,
        models.status_message,
        definitions.direction,
        definitions.target_event,
        definitions.past_days,
        definitions.future_days,
        models.training_rows,
        models.training_positives,
        cast(models.training_positives as double) / nullif(models.training_rows, 0) as training_base_rate,
        models.training_cutoffs,
        baseline.validation_cutoff_at,
        models.validation_rows,
        baseline.validation_base_rate,
        models.validation_auc,
        models.validation_pr_auc,
        models.validation_brier,
        models.requested_precision,
        models.threshold_rule,
        models.threshold,
        models.validation_precision,
        models.validation_recall,
        models.validation_audience_share as expected_audience_share,
        models.validation_precision / nullif(baseline.validation_base_rate, 0) as lift,
        models.best_reachable_precision,
        coalesce(audience.eligible_users, 0) as eligible_users,
        coalesce(audience.audience_size, 0) as audience_size,
        models.backtest_pairs,
        models.backtest_held,
        models.backtest_mean_shortfall,
        models.backtest_last_realised_precision,
        case
            when definitions.direction = 'will_do'
                then 'did ' || definitions.target_event || ' in the last ' || definitions.future_days || ' days'
            else 'did not ' || definitions.target_event || ' in the last ' || definitions.future_days || ' days'
        end as baseline_rule,
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
    left join baseline on definitions.segment_name = baseline.segment_name
    left join audience on definitions.segment_name = audience.segment_name

)

select * from final
