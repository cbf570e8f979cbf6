-- The usable events, once each: base_events judges and deduplicates every input row (and, being
-- incremental, only a night's newest days), so this is a view of its usable rows. With
-- `keep_duplicate_events` every copy of an identical row is an event of its own (date-only input, where two
-- purchases of one day cannot differ in time): the row comes as often as the input gave it.
{%- set keep_duplicates = keep_duplicate_events() %}
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
        {%- if keep_duplicates %}
            0 as duplicate_count,
        {%- else %}
            copies - 1 as duplicate_count,
        {%- endif %}
        built_at,
        {%- if keep_duplicates %}
            {{ copy_numbers('copies') }} as copy_number
        {%- else %}
            0 as copy_number
        {%- endif %}

    from events
    where reject_reason is null

)

select
    user_id,
    event_name,
    event_at,
    value,
    duplicate_count,
    copy_number,
    built_at
from usable
