-- Warns when the as_of day holds far fewer events than a typical day before it (fewer than
-- `partial_day_min_share` of the median of the 14 days before): a partly loaded day makes "did not do"
-- labels and every recency wrong. Set as_of to the last complete day, or finish the load.
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    as_of_date,
    as_of_day_events,
    typical_day_events,
    'the as_of day ' || as_of_date || ' holds ' || as_of_day_events || ' events against a median of '
    || typical_day_events || ' on the 14 days before it: is it only partly loaded? Set var as_of to the '
    || 'last complete day.' as message
from {{ ref('int_data_span') }}
where as_of_day_events < {{ var('partial_day_min_share') }} * typical_day_events
{%- endset %}

{{ log_warnings(failing_sql, [ref('int_data_span')]) }}
{{ failing_sql }}
