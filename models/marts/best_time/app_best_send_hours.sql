-- The app's best local send hours per weekday: when most users are active, each in their own time zone.
-- The fallback for users without activity on a weekday.
with

best_hours as (

    select * from {{ ref('int_app_best_hours') }}
    where history_window = 'current'

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

final as (

    select
        cast(best_hours.local_weekday as integer) as local_weekday,
        span.as_of_date,
        {{ run_id() }} as run_id,
        cast(best_hours.best_hour as integer) as best_hour,
        cast(best_hours.am_best_hour as integer) as am_best_hour,
        cast(best_hours.pm_best_hour as integer) as pm_best_hour,
        cast(best_hours.best_hour_active_users as bigint) as best_hour_active_users
    from best_hours
    cross join span

)

select * from final
