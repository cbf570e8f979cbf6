-- Per history window, user, local weekday and local hour: on how many distinct days the user was active
-- then, and with how many events; and on how many distinct days of that weekday the user was active at
-- all (weekday_active_days). Two windows: `current` (the `best_time_lookback_days` days before the
-- scoring cutoff) feeds today's best hours; `backtest` (the same length, ending a week earlier) feeds
-- best_time_backtest, which checks its choices against the last week.
--
-- The two windows overlap in all but a week, so each activity row is counted for both (a sum per window),
-- not joined to each window in turn.
{%- set lookback = int_var('best_time_lookback_days', 7) %}
{%- set window_days = best_time_window_days() %}
with

activity as {{ materialized_cte(false) }} (

    select * from {{ ref('int_user_local_activity') }}

),

scoring as (

    select max(cutoff_at) as cutoff_at
    from {{ ref('int_cutoffs') }}

),

zones as (

    select distinct timezone
    from activity

),

-- the local hours that span two UTC days (in a time zone whose offset is not whole hours, or an hour
-- repeated by daylight saving across UTC midnight): the only ones a user's activity can hold twice, once
-- per UTC day. A small grid, not a grouping of every activity row.
split_hours as (

    select
        timezone,
        cast(local_at as date) as local_date,
        cast(hour(local_at) as integer) as local_hour
    from ({{ local_quarter_hours('scoring', 'zones', window_days) }}) as local_times
    group by 1, 2, 3
    having min(event_date) < max(event_date)

),

-- each activity row's events in each window (null: not in that window)
windowed as {{ materialized_cte(false) }} (

    select
        activity.user_id,
        activity.local_date,
        activity.local_weekday,
        activity.local_hour,
        split_hours.local_hour is not null as is_split_hour,
        case when activity.days_before_cutoff < {{ lookback }} then activity.event_count end as current_events,
        case
            when activity.days_before_cutoff >= 7 and activity.days_before_cutoff < {{ lookback }} + 7
                then activity.event_count
        end as backtest_events
    from activity
    left join split_hours
        on
            activity.timezone = split_hours.timezone
            and activity.local_date = split_hours.local_date
            and activity.local_hour = split_hours.local_hour

),

-- one row per user, local day and hour: a row of an hour within one UTC day is one already
hours as (

    select
        user_id,
        local_date,
        local_weekday,
        local_hour,
        current_events,
        backtest_events
    from windowed
    where not is_split_hour

    union all

    select
        user_id,
        local_date,
        local_weekday,
        local_hour,
        sum(current_events) as current_events,
        sum(backtest_events) as backtest_events
    from windowed
    where is_split_hour
    group by 1, 2, 3, 4

),

by_hour as (

    select
        user_id,
        local_weekday,
        local_hour,
        count(current_events) as current_active_days,
        sum(current_events) as current_events,
        count(backtest_events) as backtest_active_days,
        sum(backtest_events) as backtest_events
    from hours
    group by 1, 2, 3

),

-- each local day a user was active, and in which windows (a day can reach into both)
active_dates as (

    select
        user_id,
        local_weekday,
        local_date,
        max(case when current_events is not null then 1 else 0 end) as current_day_flag,
        max(case when backtest_events is not null then 1 else 0 end) as backtest_day_flag
    from windowed
    group by 1, 2, 3

),

-- counted per weekday by summing the days' flags: cheaper than two distinct counts over every hour
by_weekday as (

    select
        user_id,
        local_weekday,
        cast(sum(current_day_flag) as bigint) as current_active_days,
        cast(sum(backtest_day_flag) as bigint) as backtest_active_days
    from active_dates
    group by 1, 2

),

both_windows as (

    select
        by_hour.*,
        by_weekday.current_active_days as current_weekday_active_days,
        by_weekday.backtest_active_days as backtest_weekday_active_days
    from by_hour
    inner join by_weekday
        on
            by_hour.user_id = by_weekday.user_id
            and by_hour.local_weekday = by_weekday.local_weekday

),

final as (

    select
        'current' as history_window,
        user_id,
        local_weekday,
        local_hour,
        current_active_days as active_days,
        cast(current_events as bigint) as event_count,
        current_weekday_active_days as weekday_active_days
    from both_windows
    where current_active_days > 0

    union all

    select
        'backtest' as history_window,
        user_id,
        local_weekday,
        local_hour,
        backtest_active_days as active_days,
        cast(backtest_events as bigint) as event_count,
        backtest_weekday_active_days as weekday_active_days
    from both_windows
    where backtest_active_days > 0

)

select * from final
