-- Warns when more than `max_rejected_share` of the input event rows are rejected (when all are, the
-- build stops in int_data_span): a wrong column mapping, time format or file, more likely than bad rows.
-- Times and values the parser could not read are named, one of each, with what to set.
{{ config(severity='warn') }}

{%- set failing_sql %}
with

kept as (

    select
        count(*) as kept_rows
    from {{ ref('stg_events') }}

),

by_reason as (

    select
        reject_reason,
        count(*) as rejected_rows
    from {{ ref('stg_events_rejected') }}
    group by 1

),

rejected as (

    select
        sum(rejected_rows) as rejected_rows,
        {{ text_agg("reject_reason || ': ' || rejected_rows", "', '", ['rejected_rows desc', 'reject_reason']) }}
            as rejected_by_reason
    from by_reason

),

-- one time the parser could not read (the smallest text)
unparseable_example as (

    select min(event_time) as event_time
    from {{ ref('stg_events_rejected') }}
    where reject_reason = 'unparseable_event_time'

),

-- one value the parser could not read
unparseable_value_example as (

    select min(value) as value
    from {{ ref('stg_events_rejected') }}
    where reject_reason = 'unparseable_value'

)

select
    kept.kept_rows,
    rejected.rejected_rows,
    rejected.rejected_by_reason || '' as rejected_by_reason,
    rejected.rejected_rows || ' of ' || (kept.kept_rows + rejected.rejected_rows)
    || ' event rows were rejected (' || rejected.rejected_by_reason
    || '); see the table stg_events_rejected.' || {{ unparseable_time_hint('unparseable_example.event_time') }}
    || {{ unparseable_value_hint('unparseable_value_example.value') }}
        as message
from kept
cross join rejected
cross join unparseable_example
cross join unparseable_value_example
where rejected.rejected_rows > {{ var('max_rejected_share') }} * (kept.kept_rows + rejected.rejected_rows)
{%- endset %}

{{ log_warnings(failing_sql, [ref('stg_events'), ref('stg_events_rejected')]) }}
{{ failing_sql }}
