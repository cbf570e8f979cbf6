-- Per segment, the naive rule every model must beat, on the validation cutoff (the newest training
-- cutoff): "did the target event in the last future_days days" for will_do, "did not" for will_not_do.
-- Its precision, recall, audience share and ROC AUC, and the validation cutoff's base rate.
--
-- With refit_every_days > 1 (on DuckDB) the table is incremental: a night keeps the row of each segment
-- whose fit_key (int_training_state, carried by the training rows) is unchanged and computes the others.
{{ config(
    materialized='incremental' if target.type != 'spark' and int_var('refit_every_days', 1) > 1 else 'table',
    incremental_strategy='keep_segments',
    on_schema_change='fail'
) }}
{%- set kept = kept_segments(this) if is_incremental() else [] %}
-- depends_on: {{ ref('int_training_state') }}
with

definitions as (

    select * from {{ ref('int_segment_definitions') }}
    {%- if kept %}
        where not ({{ segments_condition(kept) }})
    {%- endif %}

),

training_rows as (

    select * from {{ ref('int_segment_training_rows') }}
    {%- if kept %}
        where not ({{ segments_condition(kept) }})
    {%- endif %}

),

-- the daily rollup, not the events: the validation cutoff is a UTC midnight, so its last future_days days
-- are whole days
event_days as (

    select
        user_id,
        event_name,
        event_date
    from {{ ref('int_user_event_days') }}

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
    inner join event_days
        on
            validation_rows.user_id = event_days.user_id
            and definitions.target_event = event_days.event_name
            and event_days.event_date >= cast(
                {{ dbt.dateadd('day', '-definitions.future_days', 'validation_rows.cutoff_at') }} as date
            )
            and cast(validation_rows.cutoff_at as date) > event_days.event_date

),

baseline_flags as (

    select
        validation_rows.segment_name,
        validation_rows.cutoff_at,
        validation_rows.label,
        validation_rows.fit_key,
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
        count(case when is_flagged and label = 0 then 1 end) as false_positives,
        min(fit_key) as fit_key
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
        ) as baseline_auc,
        fit_key
    from baseline_counts

),

final as (

    select
        baseline.segment_name,
        baseline.validation_cutoff_at,
        baseline.validation_base_rate,
        baseline.baseline_precision,
        baseline.baseline_recall,
        baseline.baseline_audience_share,
        baseline.baseline_auc,
        case
            when definitions.direction = 'will_do'
                then 'did ' || definitions.target_event || ' in the last ' || definitions.future_days || ' days'
            else 'did not ' || definitions.target_event || ' in the last ' || definitions.future_days || ' days'
        end as baseline_rule,
        baseline.fit_key
    from baseline
    inner join definitions on baseline.segment_name = definitions.segment_name

)

select * from final
