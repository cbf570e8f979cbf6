{{ config(
    materialized='incremental',
    incremental_strategy='replace_recent_days',
    day_column='event_date',
    on_schema_change='fail'
) }}
-- Each user's events per UTC day and event: the compact, exact summary every per-event feature is computed
-- from (cutoffs are UTC midnights, so every window is a whole number of these days). Incremental: a night
-- recomputes only its newest `late_event_days` days (strategy replace_recent_days); `--full-refresh`
-- rebuilds every day and gives the same table.
with

events as (

    select
        user_id,
        event_name,
        event_at,
        value,
        cast(event_at as date) as event_date
    from {{ ref('stg_events') }}
    {%- if is_incremental() %}
    where cast(event_at as date) >= ({{ recent_days_start(this) }})
    {%- endif %}

),

sequenced as (

    select
        *,
        lag(event_at) over (partition by user_id, event_name, event_date order by event_at) as previous_event_at
    from events

),

final as (

    select
        user_id,
        event_name,
        event_date,
        cast(count(*) as bigint) as event_count,
        -- events from noon on: a window whose second half starts at noon (odd past_days) splits this day
        cast(count(
            case when event_at >= {{ dbt.dateadd('hour', 12, 'cast(event_date as timestamp)') }} then 1 end
        ) as bigint) as afternoon_count,
        sum(cast(value as decimal(38, 6))) as value_sum,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
        max({{ days_between('previous_event_at', 'event_at') }}) as max_inner_gap_days
    from sequenced
    group by 1, 2, 3

)

select * from final
