{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_recent_days',
    day_column='event_date',
    on_schema_change='fail'
) }}
-- The usable events per UTC day and event name, over all users: the few rows (days x event names) that
-- the data's span, the as_of checks and the segments' check of event names read, instead of every event.
-- Incremental on DuckDB (strategy replace_recent_days): a night counts again only its newest
-- `late_event_days` days (older days are final, as in the staged events); `--full-refresh` gives the same
-- table. On Spark it is a table.
{#- the first day a night recomputes, as a constant: the filter then reaches the scan of the events -#}
{%- set first_day = recent_days_first_day(this) if is_incremental() else none %}
with

events as (

    select
        event_name,
        event_at
    from {{ ref('stg_events') }}
    {%- if first_day is not none %}
        where event_at >= cast(cast('{{ first_day }}' as date) as timestamp)
    {%- endif %}

),

final as (

    select
        cast(event_at as date) as event_date,
        event_name,
        cast(count(*) as bigint) as event_count,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at
    from events
    group by 1, 2

)

select * from final
