-- The app's best local send hours per weekday: when most users are active, each in their own time zone.
-- The fallback for users without activity on a weekday.
with

best_hours as (

    select * from {{ ref('int_app_best_hours') }}
    where history_window = 'current'

),

final as (

    select
        cast(local_weekday as integer) as local_weekday,
        cast(best_hour as integer) as best_hour,
        cast(am_best_hour as integer) as am_best_hour,
        cast(pm_best_hour as integer) as pm_best_hour,
        cast(best_hour_active_users as bigint) as best_hour_active_users
    from best_hours

)

select * from final
