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

events as (

    select
        user_id,
        event_name,
        event_at,
        value
    from {{ ref('stg_events') }}

),

outcomes as (

    select
        cutoffs.segment_name,
        cutoffs.cutoff_at,
        events.user_id,
        count(*) as target_event_count,
        coalesce({{ exact_sum('events.value') }}, 0) as target_value_sum
    from cutoffs
    inner join definitions on cutoffs.segment_name = definitions.segment_name
    inner join events
        on
            definitions.target_event = events.event_name
            and cutoffs.cutoff_at <= events.event_at
            and cutoffs.labels_end_at > events.event_at
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
