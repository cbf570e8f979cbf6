{{ config(
    materialized='incremental',
    incremental_strategy='insert_overwrite' if target.type == 'spark' else 'replace_recent_days',
    partition_by='event_date' if target.type == 'spark' else none,
    day_column='event_date',
    on_schema_change='fail'
) }}
-- Each user's events per UTC day and event: the compact, exact summary every per-event feature is computed
-- from (cutoffs are UTC midnights, so every window is a whole number of these days). Incremental: a night
-- recomputes only its newest `late_event_days` days (strategy replace_recent_days); `--full-refresh`
-- rebuilds every day and gives the same table.
--
-- Each day also knows the user's previous event of that kind before it, when it lies within
-- max_history_days (no window reaches further back, so an older one never counts as a window's gap). An
-- incremental night finds it in the days it keeps.
{%- set lookback = int_var('max_history_days', 1) %}
{#- the first day a night recomputes, as a constant: the filters then reach the scans of the events and of
    the stored days (as a subquery, every stored event and day is read) -#}
{%- set first_day = recent_days_first_day(this) if is_incremental() else none %}
{%- set first_day_sql = "cast('" ~ first_day ~ "' as date)" if first_day is not none
    else '(' ~ recent_days_start(this) ~ ')' %}
with

events as (

    select
        user_id,
        event_name,
        event_at,
        value,
        cast(event_at as date) as event_date,
        false as is_earlier
    from {{ ref('stg_events') }}
    {%- if is_incremental() %}
        where event_at >= cast({{ first_day_sql }} as timestamp)
    {%- endif %}

),

{%- if is_incremental() %}

-- the last event of each user and event before the recomputed days, within the lookback
earlier as (

    select
        user_id,
        event_name,
        max(last_event_at) as event_at,
        cast(null as double) as value,
        cast(null as date) as event_date,
        true as is_earlier
    from {{ this }}
    where
        event_date < {{ first_day_sql }}
        and event_date >= cast({{ dbt.dateadd('day', -lookback, first_day_sql) }} as date)
    group by 1, 2

),
{%- endif %}

sequenced as (

    select
        *,
        lag(event_at) over (partition by user_id, event_name order by event_at) as previous_event_at
    from (
        select * from events
        {%- if is_incremental() %}
            union all
            select * from earlier
        {%- endif %}
    ) as all_events

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
        max(
            case
                when previous_event_at >= cast(event_date as timestamp)
                    then {{ days_between('previous_event_at', 'event_at') }}
            end
        ) as max_inner_gap_days,
        max(
            case
                when
                    previous_event_at < cast(event_date as timestamp)
                    and previous_event_at >= {{ dbt.dateadd('day', -lookback, 'cast(event_date as timestamp)') }}
                    then previous_event_at
            end
        ) as previous_event_at,
        {{ built_at() }} as built_at
    from sequenced
    where not is_earlier
    group by 1, 2, 3

)

-- stored in user order: the feature models aggregate each user's days together, which is twice as fast
-- when they are read together (ordering by the user alone is as fast for them, and cheaper to sort)
select * from final
order by 1
