-- Each user's best local send hours per weekday, from their last `best_time_lookback_days` days of
-- activity in their own time zone. Only weekdays with activity on at least `min_best_hour_active_days`
-- distinct days have a row; campaign_send_plan falls back to app_best_send_hours for the others.
with

best_hours as (

    select * from {{ ref('int_user_best_hours') }}
    where history_window = 'current'

),

users as (

    select
        user_id,
        timezone
    from {{ ref('int_users') }}

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

final as (

    select
        best_hours.user_id,
        cast(best_hours.local_weekday as integer) as local_weekday,
        span.as_of_date,
        {{ run_id() }} as run_id,
        coalesce(users.timezone, 'UTC') as timezone,
        cast(best_hours.daily_best_hour as integer) as daily_best_hour,
        cast(best_hours.am_best_hour as integer) as am_best_hour,
        cast(best_hours.pm_best_hour as integer) as pm_best_hour,
        cast(best_hours.best_hour_active_days as integer) as best_hour_active_days,
        cast(best_hours.weekday_active_days as integer) as weekday_active_days
    from best_hours
    cross join span
    left join users on best_hours.user_id = users.user_id

)

select * from final
