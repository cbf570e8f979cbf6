-- Warns when the usable events' values were written with more than one currency mark ('$12.50' and
-- '€9.90', or 'USD' beside '$'): staging reads the number and drops the mark, so amounts in different
-- currencies would be summed as they are. Names each mark with its number of rows.
{{ config(severity='warn') }}

{%- set failing_sql %}
with

marks as (

    select
        value_mark,
        sum(copies) as mark_rows
    from {{ ref('base_events') }}
    where reject_reason is null and value_mark is not null
    group by 1

),

summary as (

    select
        count(*) as distinct_marks,
        {{ text_agg("value_mark || ': ' || mark_rows", "', '", ['mark_rows desc', 'value_mark']) }} as marks_found
    from marks

)

select
    distinct_marks,
    marks_found,
    'The event values are written with ' || distinct_marks || ' currency marks (' || marks_found
    || '): they are summed as numbers, whatever their currency. Convert them to one currency in the input,'
    || ' or keep one currency''s rows.' as message
from summary
where distinct_marks > 1
{%- endset %}

{{ log_warnings(failing_sql, [ref('base_events')]) }}
{{ failing_sql }}
