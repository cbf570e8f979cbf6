-- Each user's best local send hours per weekday, from their last `best_time_lookback_days` days of
-- activity in their own time zone. Only weekdays with activity on at least `min_best_hour_active_days`
-- distinct days have a row; campaign_send_plan falls back to app_best_send_hours for the others.
with

best_hours as (

    select * from {{ ref('int_user_best_hours') }}
    where history_window = 'current'

),

attributes as (

    select
        user_id,
        timezone
    from {{ ref('stg_user_attributes') }}

),

final as (

    select
        best_hours.user_id,
        cast(best_hours.local_weekday as integer) as local_weekday,
        coalesce(attributes.timezone, 'UTC') as timezone,
        cast(best_hours.daily_best_hour as integer) as daily_best_hour,
        cast(best_hours.am_best_hour as integer) as am_best_hour,
        cast(best_hours.pm_best_hour as integer) as pm_best_hour,
        cast(best_hours.best_hour_active_days as integer) as best_hour_active_days,
        cast(best_hours.weekday_active_days as integer) as weekday_active_days
    from best_hours
    left join attributes on best_hours.user_id = attributes.user_id

)

select * from final
