-- The outcome of every eligible user at every training cutoff, read only from the future window
-- [cutoff, cutoff + future_days). label = 1 when the segment's prediction came true: for will_do, the user
-- did the target event (with at least min_value summed value, when set); for will_not_do, they did not.
with

definitions as (

    select * from {{ ref('int_segment_definitions') }}

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
        segment_name,
        cutoff_at,
        user_id,
        target_event_count,
        target_value_sum,
        did_target_event,
        {{ segment_label('direction', 'did_target_event') }} as label
    from labelled

)

select * from final
