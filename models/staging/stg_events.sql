{{ config(materialized='table') }}
-- Materialized (unlike the other staging views): every feature and label reads it, so the parsing,
-- trimming and deduplication run once per build.
with

events as (

    select * from {{ ref('base_events') }}

),

deduplicated as (

    select
        user_id,
        event_name,
        event_at,
        value,
        count(*) - 1 as duplicate_count

    from events
    where reject_reason is null
    group by user_id, event_name, event_at, value

)

select * from deduplicated
