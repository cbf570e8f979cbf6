-- Per history window, user, local weekday and local hour: on how many distinct days the user was active
-- then, and with how many events. Two windows: `current` (the `best_time_lookback_days` days before the
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

final as (

    select
        history_windows.history_window,
        activity.user_id,
        activity.local_weekday,
        activity.local_hour,
        count(distinct activity.local_date) as active_days,
        cast(sum(activity.event_count) as bigint) as event_count
    from activity
    inner join history_windows
        on
            activity.days_before_cutoff >= history_windows.first_day_before
            and activity.days_before_cutoff < history_windows.last_day_before
    group by 1, 2, 3, 4

)

select * from final
