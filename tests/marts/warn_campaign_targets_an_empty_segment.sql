-- Warns about each campaign whose target segment (or persona) has no usable model or no members today:
-- its plan is empty (campaign_send_summary says why).
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    campaign_id,
    target_segment,
    target_status,
    audience_users,
    'campaign ' || campaign_id || ' plans nobody: ' || empty_reason || ' (target '
    || concat_ws(', ', 'segment ' || target_segment, 'persona ' || target_persona) || ')' as message
from {{ ref('campaign_send_summary') }}
where target_kind in ('segment', 'segment_and_persona', 'persona') and audience_users = 0
{%- endset %}

{{ log_warnings(failing_sql, [ref('campaign_send_summary')]) }}
{{ failing_sql }}
