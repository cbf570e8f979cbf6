-- Warns when more than 5 % of the input event rows are exact copies of another row (same user, event, time
-- and value), counted once: a file loaded twice, or input whose times cannot tell two events apart (dates
-- only: two purchases of one amount on one day), where the copies are events of their own and
-- `keep_duplicate_events` counts them. Says so when every copy is at midnight (dates without a time).
{{ config(severity='warn') }}

{%- set failing_sql %}
with

kept as (

    select count(*) as kept_rows
    from {{ ref('stg_events') }}

),

rejected as (

    select
        count(*) as rejected_rows,
        count(case when reject_reason = 'duplicate' then 1 end) as duplicate_rows,
        count(case when reject_reason = 'duplicate' and event_time like '% 00:00:00' then 1 end)
            as midnight_duplicate_rows
    from {{ ref('stg_events_rejected') }}

),

summary as (

    select
        kept.kept_rows + rejected.rejected_rows as input_rows,
        rejected.duplicate_rows,
        rejected.midnight_duplicate_rows
    from kept
    cross join rejected

)

select
    input_rows,
    duplicate_rows,
    duplicate_rows || ' of ' || input_rows || ' event rows are exact copies of another row (same user, event,'
    || ' time and value) and count as one event'
    || case
        when midnight_duplicate_rows = duplicate_rows then ', every one of them at midnight (dates without a time)'
        else ''
    end
    || ': a file read twice, or repeats that are events of their own when times cannot tell them apart.'
    || ' For those, set keep_duplicate_events: true (and build with --full-refresh once); the copies are in'
    || ' stg_events_rejected as duplicate.' as message
from summary
where duplicate_rows > 0.05 * input_rows
{%- endset %}

{{ log_warnings(failing_sql, [ref('stg_events'), ref('stg_events_rejected')]) }}
{{ failing_sql }}
