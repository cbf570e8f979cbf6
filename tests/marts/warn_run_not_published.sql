-- Warns when this run's consumer tables were not published because they do not all come from one run (a
-- partial build with --select): readers of the published file keep the previous complete run.
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    status,
    'this run was not published: ' || message as message
from {{ ref('publication') }}
where status != 'published'
{%- endset %}

{{ log_warnings(failing_sql, [ref('publication')]) }}
{{ failing_sql }}
