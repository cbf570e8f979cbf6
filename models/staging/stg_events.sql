-- The usable events, once each: base_events judges and deduplicates every input row (and, being
-- incremental, only a night's newest days), so this is a view of its usable rows.
with

events as (

    select * from {{ ref('base_events') }}

),

usable as (

    select
        user_id,
        event_name,
        event_at,
        value,
        copies - 1 as duplicate_count,
        built_at

    from events
    where reject_reason is null

)

select * from usable
