-- When the app's users are active, in their own local time: per local weekday and hour over the best-time
-- lookback, how many users were active and how many events they did, and the users' share of those active
-- that weekday. The heatmap behind app_best_send_hours.
with

hours as (

    select * from {{ ref('int_user_hour_activity') }}
    where history_window = 'current'

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

by_hour as (

    select
        local_weekday,
        local_hour,
        count(*) as active_users,
        sum(event_count) as event_count
    from hours
    group by 1, 2

),

by_weekday as (

    select
        local_weekday,
        count(distinct user_id) as weekday_active_users
    from hours
    group by 1

),

final as (

    select
        cast(by_hour.local_weekday as integer) as local_weekday,
        cast(by_hour.local_hour as integer) as local_hour,
        span.as_of_date,
        {{ run_id() }} as run_id,
        cast(by_hour.active_users as bigint) as active_users,
        cast(by_hour.event_count as bigint) as event_count,
        cast(by_hour.active_users as double) / by_weekday.weekday_active_users as active_user_share
    from by_hour
    cross join span
    inner join by_weekday on by_hour.local_weekday = by_weekday.local_weekday

)

select * from final
