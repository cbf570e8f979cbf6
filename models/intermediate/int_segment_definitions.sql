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

-- an event that occurs under the same name written otherwise (case, spaces, underscores or hyphens):
-- 'Purchase' for 'purchase', 'add-to-cart' for 'add_to_cart'
suggestions as (

    select
        missing_events.segment_name,
        missing_events.field_name,
        missing_events.event_name,
        min(observed_events.event_name) as suggested_name
    from missing_events
    left join observed_events
        on {{ loose_event_name('missing_events.event_name') }} = {{ loose_event_name('observed_events.event_name') }}
    group by missing_events.segment_name, missing_events.field_name, missing_events.event_name

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
            "field_name || ' ''' || event_name || ''' never occurs in the events'
            || coalesce(' (did you mean ''' || suggested_name || '''?)', '')",
            "'; '",
            ['field_name', 'event_name']
        ) }} as problem_text
    from suggestions
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
