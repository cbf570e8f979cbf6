-- Warns about each campaign whose target segment has no usable model or no members today: its plan is
-- empty (campaign_send_summary says why).
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    campaign_id,
    target_segment,
    target_status,
    audience_users,
    'campaign ' || campaign_id || ' plans nobody: ' || empty_reason || ' (target segment ' || target_segment
    || ')' as message
from {{ ref('campaign_send_summary') }}
where target_kind = 'segment' and audience_users = 0
{%- endset %}

{{ log_warnings(failing_sql, [ref('campaign_send_summary')]) }}
{{ failing_sql }}
