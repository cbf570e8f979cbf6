-- Per history window, user, local weekday and local hour: on how many distinct days the user was active
-- then, and with how many events; and on how many distinct days of that weekday the user was active at
-- all (weekday_active_days). Two windows: `current` (the `best_time_lookback_days` days before the
-- scoring cutoff) feeds today's best hours; `backtest` (the same length, ending a week earlier) feeds
-- best_time_backtest, which checks its choices against the last week.
with

activity as (

    select * from {{ ref('int_user_local_activity') }}

),

history_windows as (

    select
        'current' as history_window,
        0 as first_day_before,
        {{ int_var('best_time_lookback_days', 7) }} as last_day_before
    union all
    select
        'backtest' as history_window,
        7 as first_day_before,
        {{ int_var('best_time_lookback_days', 7) }} + 7 as last_day_before

),

-- one row per window, user, local day and hour (a local hour can span two UTC days before the cutoff)
windowed as (

    select
        history_windows.history_window,
        activity.user_id,
        activity.local_date,
        activity.local_weekday,
        activity.local_hour,
        sum(activity.event_count) as event_count
    from activity
    inner join history_windows
        on
            activity.days_before_cutoff >= history_windows.first_day_before
            and activity.days_before_cutoff < history_windows.last_day_before
    group by 1, 2, 3, 4, 5

),

by_hour as (

    select
        history_window,
        user_id,
        local_weekday,
        local_hour,
        count(*) as active_days,
        cast(sum(event_count) as bigint) as event_count
    from windowed
    group by 1, 2, 3, 4

),

by_weekday as (

    select
        history_window,
        user_id,
        local_weekday,
        count(distinct local_date) as weekday_active_days
    from windowed
    group by 1, 2, 3

),

final as (

    select
        by_hour.*,
        by_weekday.weekday_active_days
    from by_hour
    inner join by_weekday
        on
            by_hour.history_window = by_weekday.history_window
            and by_hour.user_id = by_weekday.user_id
            and by_hour.local_weekday = by_weekday.local_weekday

)

select * from final
