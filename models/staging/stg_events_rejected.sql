{{ config(materialized='table') }}
-- Input event rows that stg_events does not use, one row each, with the reason (see the reject_reasons
-- seed). Exact duplicates appear once per extra copy (the first copy is kept in stg_events); base_events
-- holds identical rows once with their number of copies, so each is listed as often as the input gave it.
-- With `keep_duplicate_events` the copies are events (stg_events), not rejected.
with

-- read by both parts below, each with its own filter: computed once, every column of every staged row would
-- be read; computed for each, the scans read the few rows that match
events as {{ materialized_cte(false) }} (

    select * from {{ ref('base_events') }}

),

invalid_rows as (

    select
        user_id,
        event_name,
        event_time_raw as event_time,
        value_raw as value,
        reject_reason,
        unreadable_line as detail,
        {{ copy_numbers('copies') }} as copy_index

    from events
    where reject_reason is not null

),

duplicate_rows as (

    select
        user_id,
        event_name,
        cast(event_at as {{ dbt.type_string() }}) as event_time,
        cast(value as {{ dbt.type_string() }}) as value,
        'duplicate' as reject_reason,
        cast(null as {{ dbt.type_string() }}) as detail,
        {{ copy_numbers('copies - 1') }} as copy_index

    from events
    where reject_reason is null and copies > 1 and not {{ keep_duplicate_events() }}

)

select
    user_id,
    event_name,
    event_time,
    value,
    reject_reason,
    detail
from invalid_rows
union all
select
    user_id,
    event_name,
    event_time,
    value,
    reject_reason,
    detail
from duplicate_rows
