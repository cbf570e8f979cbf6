-- Each user's activity in their own local time (int_users: their timezone attribute, UTC when unknown) over the
-- `best_time_lookback_days` days before the scoring cutoff plus one more week (for the backtest): one row
-- per user, local day, local hour and whole days before the cutoff. Which events count as activity is the
-- `best_time_events` var (null: every event).
{%- set window_days = int_var('best_time_lookback_days', 7) + 7 %}
with

events as (

    select
        user_id,
        event_name,
        event_at
    from {{ ref('stg_events') }}

),

users as (

    select
        user_id,
        timezone
    from {{ ref('int_users') }}

),

scoring as (

    select max(cutoff_at) as cutoff_at
    from {{ ref('int_cutoffs') }}

),

quarter_hours as (

    -- every time zone offset is a whole number of quarter hours, so events can be counted per UTC
    -- quarter hour before the (costlier) conversion to local time without moving any across a local hour
    select
        events.user_id,
        {{ dbt.dateadd(
            'minute',
            'cast(floor(minute(events.event_at) / 15) * 15 as integer)',
            dbt.date_trunc('hour', 'events.event_at')
        ) }} as quarter_hour_at,
        count(*) as event_count
    from events
    inner join scoring
        on
            events.event_at < scoring.cutoff_at
            and events.event_at >= {{ dbt.dateadd(
                'day', '-' ~ window_days, 'scoring.cutoff_at') }}
    {%- if var('best_time_events') %}
    where events.event_name in (
        {%- for event in var('best_time_events') %}{{ sql_string(event) }}{{ ', ' if not loop.last }}{% endfor -%}
    )
    {%- endif %}
    group by 1, 2

),

zones as (

    select distinct timezone
    from users

),

-- every UTC quarter hour of the window in every time zone the users have, converted once: a small grid
-- (quarter hours x time zones), independent of the events, so the events' rows are read only once
quarter_hour_grid as (

    select
        {{ unnest_list(timestamp_steps(
            dbt.dateadd('day', '-' ~ window_days, 'cutoff_at'),
            dbt.dateadd('minute', -15, 'cutoff_at'),
            15
        )) }} as quarter_hour_at,
        cutoff_at
    from scoring

),

local_times as (

    select
        zones.timezone,
        quarter_hour_grid.quarter_hour_at,
        {{ utc_to_local('quarter_hour_grid.quarter_hour_at', 'zones.timezone') }} as local_at,
        -- the whole UTC days between the quarter hour's day and the cutoff's (0: the last day before it)
        cast({{ dbt.datediff(
            'cast(quarter_hour_grid.quarter_hour_at as date)', 'cast(quarter_hour_grid.cutoff_at as date)', 'day'
        ) }} - 1 as integer) as days_before_cutoff
    from quarter_hour_grid
    cross join zones

),

localized as (

    select
        quarter_hours.user_id,
        quarter_hours.event_count,
        users.timezone,
        local_times.local_at,
        local_times.days_before_cutoff
    from quarter_hours
    inner join users on quarter_hours.user_id = users.user_id
    inner join local_times
        on
            users.timezone = local_times.timezone
            and quarter_hours.quarter_hour_at = local_times.quarter_hour_at

),

final as (

    select
        user_id,
        timezone,
        cast(local_at as date) as local_date,
        cast({{ iso_weekday('local_at') }} as integer) as local_weekday,
        cast(hour(local_at) as integer) as local_hour,
        days_before_cutoff,
        cast(sum(event_count) as bigint) as event_count
    from localized
    group by 1, 2, 3, 4, 5, 6

)

select * from final
