-- Warns when events that best send hours would count carry no time of day (every one, on two days or more,
-- at one time: a date-only input). Best send hours leave them out; when no event is left, no best hours are
-- learned at all, and campaigns have no hour to send at but their own.
{{ config(severity='warn') }}

{%- set counted = var('best_time_events') %}
{%- set quoted = [] %}
{%- for event in counted or [] %}{% do quoted.append(sql_string(event) | trim) %}{% endfor %}
{%- set counted_filter = 'event_name in (' ~ quoted | join(', ') ~ ')' if counted else 'true' %}
{%- set failing_sql %}
with

events as (

    select
        event_name,
        has_time_of_day,
        only_time_of_day,
        event_count
    from {{ ref('int_event_time_of_day') }}
    where {{ counted_filter }}

),

summary as (

    select
        sum(case when not has_time_of_day then 1 else 0 end) as timeless_events,
        sum(case when has_time_of_day then 1 else 0 end) as timed_events,
        {{ text_agg(
            "case when not has_time_of_day then event_name || ' at ' || only_time_of_day end",
            "', '",
            ['event_count desc', 'event_name asc']
        ) }} as timeless_found
    from events

)

select
    timeless_events,
    timed_events,
    case
        when timed_events = 0
            then
                'No event carries a time of day (every ' || timeless_found || ' UTC): best send hours are not'
                || ' learned, and a campaign sends at its own time only with send_instantly_if_passed.'
        else
            'Events without a time of day (every ' || timeless_found || ' UTC) are left out of best send'
            || ' hours; the other events still count.'
    end as message
from summary
where timeless_events > 0
{%- endset %}

{{ log_warnings(failing_sql, [ref('int_event_time_of_day')]) }}
{{ failing_sql }}
