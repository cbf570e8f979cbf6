-- Fires for each segment whose model fit raised, or that names an event that never occurs (status error):
-- the other segments were built, this one has no scores. A warning by default; `fail_on_segment_error:
-- true` (e.g. in CI) makes it an error.
{{ config(severity='error' if var('fail_on_segment_error', false) else 'warn') }}

{%- set failing_sql %}
select
    segment_name,
    status_message,
    'segment ' || segment_name || ' has no model (status error): ' || status_message as message
from {{ ref('segment_model_report') }}
where status = 'error'
{%- endset %}

{{ log_warnings(failing_sql, [ref('segment_model_report')]) }}
{{ failing_sql }}
