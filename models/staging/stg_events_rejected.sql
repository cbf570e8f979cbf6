{{ config(materialized='table') }}
-- Source rows that stg_events does not use, one row each, with the reason. Exact duplicates appear once per
-- extra copy (the first copy is kept in stg_events).
with

classified as (

    select * from {{ ref('stg_events_classified') }}

),

events as (

    select * from {{ ref('stg_events') }}

),

invalid_rows as (

    select
        user_id,
        event_name,
        cast(event_time_raw as {{ dbt.type_string() }}) as event_time,
        cast(value_raw as {{ dbt.type_string() }}) as value,
        reject_reason

    from classified
    where reject_reason is not null

),

duplicate_rows as (

    select
        user_id,
        event_name,
        cast(event_at as {{ dbt.type_string() }}) as event_time,
        cast(value as {{ dbt.type_string() }}) as value,
        'duplicate' as reject_reason,
        unnest(range(duplicate_count)) as copy_index

    from events
    where duplicate_count > 0

)

select * from invalid_rows
union all
select
    user_id,
    event_name,
    event_time,
    value,
    reject_reason
from duplicate_rows
