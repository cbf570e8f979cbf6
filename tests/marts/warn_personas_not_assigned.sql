-- Warns when tonight's personas are not assigned: the clustering was unstable under bootstrap refits
-- (below persona_min_stability), had too few users, or failed. user_personas and persona_profiles are
-- then empty, and campaigns that target a persona plan nobody.
{{ config(severity='warn') }}

{%- set failing_sql %}
select distinct
    status,
    'personas were not assigned tonight (status ' || status || '): ' || status_message as message
from {{ ref('persona_model_report') }}
where status != 'ok'
{%- endset %}

{{ log_warnings(failing_sql, [ref('persona_model_report')]) }}
{{ failing_sql }}
