{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_recent_days',
    day_column='event_date',
    on_schema_change='fail',
    post_hook=[] if target.type == 'spark' else ["{{ expire_local_hours(this) if is_incremental() }}"]
) }}
-- Each user's activity in their own local time (int_users: their timezone attribute, UTC when unknown) over
-- the `best_time_lookback_days` days before the scoring cutoff plus one more week (for the backtest): one
-- row per user, UTC day, local day and local hour. Which events count as activity is the
-- `best_time_events` var (null: every event), less the events that carry no time of day
-- (int_event_time_of_day: a date-only input's); activity_events records both.
--
-- Incremental on DuckDB (strategy replace_recent_days): a night converts again only the UTC days it has not
-- stored (its newest `late_event_days` days, and any day of the window older than the stored ones, when
-- the window moved back or grew), every day of the users whose time zone changed, and every day when
-- `best_time_events` or the events without a time of day changed. Its post-hook then deletes the days
-- outside the window and the rows of a replaced time zone or events list. `--full-refresh` gives the same
-- table. On Spark it is a table.
{%- set window_days = best_time_window_days() %}
{%- set counted_events = [] %}
{%- for event in var('best_time_events') or [] %}{% do counted_events.append(sql_string(event) | trim) %}{% endfor %}
with

-- events that carry no time of day (a date-only input's) would all fall at one hour: left out
timeless_events as (

    select event_name
    from {{ ref('int_event_time_of_day') }}
    where not has_time_of_day

),

events as (

    select
        stg_events.user_id,
        stg_events.event_name,
        stg_events.event_at
    from {{ ref('stg_events') }} as stg_events
    where
        stg_events.event_name not in (select timeless_events.event_name from timeless_events)
        and {{ 'stg_events.event_name in (' ~ counted_events | join(', ') ~ ')' if counted_events else 'true' }}

),

users as (

    select
        user_id,
        timezone
    from {{ ref('int_users') }}

),

scoring as (

    select
        max(cutoff_at) as cutoff_at,
        {{ dbt.dateadd('day', '-' ~ window_days, 'max(cutoff_at)') }} as window_start_at
    from {{ ref('int_cutoffs') }}

),

{%- if is_incremental() %}

-- what the stored rows cover: days before the first stored one were never converted (none stored: every
-- day of the window is new), and rows of another events list are all converted again
stored as (

    select
        min(event_date) as first_date,
        coalesce(max(case when activity_events <> {{ local_hours_events_list() }} then 1 else 0 end), 0) = 1
            as is_other_events_list
    from {{ this }}

),

-- users whose time zone changed since their rows were converted
moved_users as (

    select distinct stored_rows.user_id
    from {{ this }} as stored_rows
    inner join users on stored_rows.user_id = users.user_id
    where stored_rows.timezone <> users.timezone

),

-- the window's parts: [window start, stored_from) was never converted, [stored_from, recent) is stored,
-- [recent, cutoff) is converted again (late_event_days) or new
parts as (

    select
        scoring.window_start_at,
        recent.recent_at,
        greatest(
            scoring.window_start_at,
            least(coalesce(cast(stored.first_date as timestamp), recent.recent_at), recent.recent_at)
        ) as stored_from_at,
        stored.is_other_events_list,
        (select count(*) from moved_users) > 0 as has_moved_users
    from scoring
    cross join stored
    cross join (
        select
            greatest(scoring.window_start_at, cast(({{ recent_days_start(this) }}) as timestamp)) as recent_at
        from scoring
    ) as recent

),

-- and the first time the night converts: the window's start when it converts days before the stored ones
-- or every day (another events list, a moved user), otherwise the recent days' start
ranges as (

    select
        recent_at,
        stored_from_at,
        is_other_events_list,
        has_moved_users,
        case
            when is_other_events_list or has_moved_users or stored_from_at > window_start_at then window_start_at
            else recent_at
        end as scan_from_at
    from parts

),
{%- endif %}

-- the events a night may convert: from its first time on, compared with the events alone so that the bound
-- reaches their scan (a bound in the join below would be applied after every event is read)
scanned_events as (

    select events.*
    from events
    {%- if is_incremental() %}
    where events.event_at >= (select ranges.scan_from_at from ranges)
    {%- endif %}

),

-- the events to convert: in the incremental case, first those whose time alone may need it (the recent
-- and new days, the days never converted; every day when the events list changed or a user moved), so
-- that only those are joined to the moved users
candidates as (

    select
        events.user_id,
        events.event_at,
        {%- if is_incremental() %}
            (
                events.event_at >= ranges.recent_at
                or events.event_at < ranges.stored_from_at
                or ranges.is_other_events_list
            ) as is_converted_for_everyone
        {%- else %}
            true as is_converted_for_everyone
        {%- endif %}
    from scanned_events as events
    inner join scoring on events.event_at >= scoring.window_start_at and events.event_at < scoring.cutoff_at
    {%- if is_incremental() %}
    cross join ranges
    where
        events.event_at >= ranges.recent_at
        or events.event_at < ranges.stored_from_at
        or ranges.is_other_events_list
        or ranges.has_moved_users
    {%- endif %}

),

events_to_convert as (

    select
        candidates.user_id,
        candidates.event_at
    from candidates
    {%- if is_incremental() %}
    left join moved_users on candidates.user_id = moved_users.user_id
    where candidates.is_converted_for_everyone or moved_users.user_id is not null
    {%- endif %}

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
    from events_to_convert as events
    group by 1, 2

),

zones as (

    select distinct timezone
    from users

),

-- every UTC quarter hour of the window in every time zone the users have, converted once: a small grid
-- (quarter hours x time zones), independent of the events, so the events' rows are read only once
local_times as (

    {{ local_quarter_hours('scoring', 'zones', window_days) }}

),

localized as (

    select
        quarter_hours.user_id,
        quarter_hours.event_count,
        users.timezone,
        local_times.local_at,
        local_times.event_date
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
        event_date,
        cast(local_at as date) as local_date,
        cast({{ iso_weekday('local_at') }} as integer) as local_weekday,
        cast(hour(local_at) as integer) as local_hour,
        cast(sum(event_count) as bigint) as event_count,
        {{ local_hours_events_list() }} as activity_events
    from localized
    group by 1, 2, 3, 4, 5, 6

)

-- stored in user order: the hour activity groups each user's rows together, which costs a fifth less CPU
-- when they are read together, and the user ids compress in a fraction of the time (the sort costs less)
select * from final
order by 1
