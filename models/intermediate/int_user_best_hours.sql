-- Per history window, user and local weekday (1 = Monday .. 7 = Sunday): the daily best hour (the most
-- active hour that weekday), the AM best hour (00-11) and the PM best hour (12-23). Ranking: most active
-- days at that hour, then most events, then the tie-break var (earliest hour by default). Only weekdays on
-- which the user was active on at least `min_best_hour_active_days` distinct days get a row: one event
-- does not make a habit, and campaigns fall back to the app's hour without one.
with

hours as (

    select * from {{ ref('int_user_hour_activity') }}
    where weekday_active_days >= {{ int_var('min_best_hour_active_days', 1) }}

),

{%- set key = best_hour_key('active_days', 'event_count', 'local_hour') %}

final as (

    select
        history_window,
        user_id,
        local_weekday,
        {{ value_at_max('local_hour', key) }} as daily_best_hour,
        {{ value_at_max('local_hour', key) }} filter (where local_hour < 12) as am_best_hour,
        {{ value_at_max('local_hour', key) }} filter (where local_hour >= 12) as pm_best_hour,
        -- the best hour has the most active days
        max(active_days) as best_hour_active_days,
        max(weekday_active_days) as weekday_active_days
    from hours
    group by 1, 2, 3

)

select * from final
