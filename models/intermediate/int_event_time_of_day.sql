-- Which event names carry a time of day. An event name whose every event, on two days or more, falls at one
-- and the same time of day (00:00:00 UTC for a date-only input, another time for dates written with an
-- offset) says only on which day it happened: counted as activity, it would make that time everyone's best
-- send hour. int_user_local_hours leaves such events out, and warn_events_without_time_of_day names them.
-- Read from each day's first and last event in the daily counts, not from the events, up to the scoring
-- cutoff: events after as_of, in a file that holds them, change nothing a build publishes.
with

span as (

    select scoring_cutoff_at from {{ ref('int_data_span') }}

),

days as (

    select
        event_name,
        event_count,
        hour(first_event_at) * 3600 + minute(first_event_at) * 60 + second(first_event_at) as first_second,
        hour(last_event_at) * 3600 + minute(last_event_at) * 60 + second(last_event_at) as last_second
    from {{ ref('int_daily_event_counts') }}
    where event_date < (select cast(span.scoring_cutoff_at as date) as cutoff_date from span)

),

by_event as (

    select
        event_name,
        count(*) as event_days,
        cast(sum(event_count) as bigint) as event_count,
        min(first_second) as first_second,
        max(last_second) as last_second
    from days
    group by event_name

),

-- within a day the first event is not after the last: the earliest first equals the latest last only when
-- every event of the name is at that one time
clocked as (

    select
        *,
        event_days < 2 or first_second < last_second as has_time_of_day,
        cast(floor(first_second / 3600) as integer) as only_hour,
        cast(floor(mod(first_second, 3600) / 60) as integer) as only_minute,
        cast(mod(first_second, 60) as integer) as only_second
    from by_event

),

final as (

    select
        event_name,
        event_days,
        event_count,
        has_time_of_day,
        case
            when not has_time_of_day
                then
                    lpad(cast(only_hour as {{ dbt.type_string() }}), 2, '0')
                    || ':' || lpad(cast(only_minute as {{ dbt.type_string() }}), 2, '0')
                    || ':' || lpad(cast(only_second as {{ dbt.type_string() }}), 2, '0')
        end as only_time_of_day
    from clocked

)

select * from final
