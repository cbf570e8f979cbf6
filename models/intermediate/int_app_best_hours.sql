-- Per history window and local weekday: the hours when most users are active (each user in their own
-- local time): the daily, AM and PM best hours of the whole app, the fallback for users without activity
-- on that weekday. Ranking: most active users, then most events, then the tie-break var.
with

hours as (

    select * from {{ ref('int_user_hour_activity') }}

),

by_hour as (

    select
        history_window,
        local_weekday,
        local_hour,
        count(*) as active_users,
        sum(event_count) as event_count
    from hours
    group by 1, 2, 3

),

ranked as (

    select
        *,
        row_number() over (
            partition by history_window, local_weekday
            order by {{ best_hour_order('active_users', 'event_count', 'local_hour') }}
        ) as daily_rank,
        row_number() over (
            partition by history_window, local_weekday, local_hour < 12
            order by {{ best_hour_order('active_users', 'event_count', 'local_hour') }}
        ) as half_day_rank
    from by_hour

),

final as (

    select
        history_window,
        local_weekday,
        max(case when daily_rank = 1 then local_hour end) as best_hour,
        max(case when half_day_rank = 1 and local_hour < 12 then local_hour end) as am_best_hour,
        max(case when half_day_rank = 1 and local_hour >= 12 then local_hour end) as pm_best_hour,
        max(case when daily_rank = 1 then active_users end) as best_hour_active_users
    from ranked
    group by 1, 2

)

select * from final
