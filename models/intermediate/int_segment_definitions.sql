-- The segments of the `segments` var as a table: validated at compile time (see the get_segments macro),
-- and checked here against the data: every event a segment names must occur in the usable events (read as
-- their counts per day and event, int_daily_event_counts). A segment naming one that does not is kept, with
-- the reason in definition_problem, so that one misspelt event name never stops the other segments.
with

configured as (

    {{ segment_definitions_sql() }}

),

observed_events as (

    select distinct event_name from {{ ref('int_daily_event_counts') }}

),

referenced_events as (

    select
        segment_name,
        segment_order,
        'target_event' as field_name,
        target_event as event_name
    from configured
    union all
    select
        segment_name,
        segment_order,
        'eligible_event' as field_name,
        eligible_event as event_name
    from configured
    where eligible_event is not null
    union all
    select
        segment_name,
        segment_order,
        'feature_events' as field_name,
        {{ unnest_list('feature_events') }} as event_name
    from configured
    where feature_events is not null

),

missing_events as (

    select referenced_events.*
    from referenced_events
    left join observed_events on referenced_events.event_name = observed_events.event_name
    where observed_events.event_name is null

),

observed_count as (

    select count(*) as observed_count
    from observed_events

),

first_observed as (

    select event_name
    from observed_events
    order by event_name
    limit 100

),

observed_list as (

    select
        observed_count.observed_count,
        {{ text_agg('first_observed.event_name', "', '", ['first_observed.event_name']) }} as observed_names
    from observed_count
    left join first_observed on true
    group by observed_count.observed_count

),

-- per segment, the events it names that never occur: that segment gets no model (segment_models gives it
-- status error with this message); the other segments are built as usual
problems as (

    select
        segment_name,
        {{ text_agg(
            "field_name || ' ''' || event_name || ''' never occurs in the events'",
            "'; '",
            ['field_name', 'event_name']
        ) }} as problem_text
    from missing_events
    group by segment_name

),

final as (

    select
        configured.*,
        problems.problem_text || '. Event names that occur'
        || case when observed_list.observed_count > 100 then ' (first 100)' else '' end
        || ': ' || coalesce(observed_list.observed_names, '(none: the events are empty)') as definition_problem
    from configured
    cross join observed_list
    left join problems on configured.segment_name = problems.segment_name

)

select * from final
