-- The outcome of every eligible user at every training cutoff, read only from the future window
-- [cutoff, cutoff + future_days). label = 1 when the segment's prediction came true: for will_do, the user
-- did the target event (with at least min_value summed value, when set); for will_not_do, they did not.
--
-- With refit_every_days > 1 (on DuckDB) the table is incremental: a night keeps the rows of each segment
-- whose fit_key (int_training_state) is unchanged, since they are a function of the events before the refit
-- day, and computes the others (the keep_segments strategy deletes the rest).
{{ config(
    materialized='incremental' if target.type != 'spark' and int_var('refit_every_days', 1) > 1 else 'table',
    incremental_strategy='keep_segments',
    on_schema_change='fail'
) }}
{%- set kept = kept_segments(this) if is_incremental() else [] %}
with

definitions as (

    select * from {{ ref('int_segment_definitions') }}
    {%- if kept %}
        where not ({{ segments_condition(kept) }})
    {%- endif %}

),

-- the fit_key the rows are computed under: a later night keeps the segment's rows while it holds
state as (

    select
        segment_name,
        fit_key
    from {{ ref('int_training_state') }}

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}
    where cutoff_role = 'training'

),

eligibility as (

    select * from {{ ref('int_segment_eligibility') }}
    where cutoff_role = 'training'

),

-- training cutoffs cover the panel's users only (int_segment_eligibility): nobody else's outcome is read
panel as (

    select user_id from {{ ref('int_training_panel') }}

),

-- the daily rollup, not the events: the cutoff and the window's end are UTC midnights, so a day lies
-- wholly inside the future window or wholly outside it; its value_sum is the exact (decimal) day total
event_days as (

    select
        user_id,
        event_name,
        event_date,
        event_count,
        value_sum
    from {{ ref('int_user_event_days') }}

),

outcomes as (

    select
        cutoffs.segment_name,
        cutoffs.cutoff_at,
        event_days.user_id,
        cast(sum(event_days.event_count) as bigint) as target_event_count,
        coalesce({{ exact_sum('event_days.value_sum') }}, 0) as target_value_sum
    from cutoffs
    inner join definitions on cutoffs.segment_name = definitions.segment_name
    inner join event_days
        on
            definitions.target_event = event_days.event_name
            and cast(cutoffs.cutoff_at as date) <= event_days.event_date
            and cast(cutoffs.labels_end_at as date) > event_days.event_date
    inner join panel on event_days.user_id = panel.user_id
    group by 1, 2, 3

),

labelled as (

    select
        eligibility.segment_name,
        eligibility.cutoff_at,
        eligibility.user_id,
        coalesce(outcomes.target_event_count, 0) as target_event_count,
        coalesce(outcomes.target_value_sum, 0) as target_value_sum,
        {{ did_target_event('outcomes.target_event_count', 'outcomes.target_value_sum', 'definitions.min_value') }}
            as did_target_event,
        definitions.direction
    from eligibility
    inner join definitions on eligibility.segment_name = definitions.segment_name
    left join outcomes
        on
            eligibility.segment_name = outcomes.segment_name
            and eligibility.cutoff_at = outcomes.cutoff_at
            and eligibility.user_id = outcomes.user_id

),

final as (

    select
        labelled.segment_name,
        labelled.cutoff_at,
        labelled.user_id,
        labelled.target_event_count,
        labelled.target_value_sum,
        labelled.did_target_event,
        {{ segment_label('labelled.direction', 'labelled.did_target_event') }} as label,
        state.fit_key
    from labelled
    left join state on labelled.segment_name = state.segment_name

)

select * from final
