{{ config(materialized='view') }}
-- Each user's activity in their own local time over the `best_time_lookback_days` days before the scoring
-- cutoff plus one more week (for the backtest): one row per user, local day, local hour and whole UTC days
-- before the cutoff (0: the last day before it). The rows of int_user_local_hours, which a night converts
-- only for its new days, with their distance from tonight's cutoff.
{%- set window_days = best_time_window_days() %}
with

local_hours as (

    select * from {{ ref('int_user_local_hours') }}

),

scoring as (

    select cast(max(cutoff_at) as date) as cutoff_date
    from {{ ref('int_cutoffs') }}

),

final as (

    select
        local_hours.user_id,
        local_hours.timezone,
        local_hours.local_date,
        local_hours.local_weekday,
        local_hours.local_hour,
        cast({{ dbt.datediff('local_hours.event_date', 'scoring.cutoff_date', 'day') }} - 1 as integer)  -- noqa: LT05
            as days_before_cutoff,
        local_hours.event_count
    from local_hours
    inner join scoring
        on
            local_hours.event_date < scoring.cutoff_date
            and local_hours.event_date
            >= cast({{ dbt.dateadd('day', '-' ~ window_days, 'scoring.cutoff_date') }} as date)

)

select * from final
