-- Warns when lines of a CSV input are not text in its encoding (var csv_encoding, UTF-8 by default): each is
-- an unreadable_line reject, whatever it held. A Latin-1 or Windows-1252 file read as UTF-8 loses every
-- line with an accent this way (a purchase event named with one, every purchase), so even a few warn.
{{ config(severity='warn') }}

{%- set failing_sql %}
with

encoding_errors as (

    select
        count(*) as lines,
        min(detail) as example
    from {{ ref('stg_events_rejected') }}
    where reject_reason = 'unreadable_line' and detail like '%(invalid encoding)%'

)

select
    lines,
    lines || ' line(s) of the events input are not valid {{ var('csv_encoding', 'utf-8') }} text and were'
    || ' rejected as unreadable_line (e.g. ' || example || '). If the file was written in Latin-1 or'
    || ' Windows-1252 (accents shown as ?), set csv_encoding: latin-1.' as message
from encoding_errors
where lines > 0
{%- endset %}

{{ log_warnings(failing_sql, [ref('stg_events_rejected')]) }}
{{ failing_sql }}
