-- Warns about each segment whose launch_check is not ok: no better than the naive rule (so no one should
-- launch it), or asking a precision at or below the base rate (everyone qualifies).
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    segment_name,
    launch_check,
    'segment ' || segment_name || ': ' || case launch_check
        when 'everyone_qualifies'
            then 'the requested precision ' || round(requested_precision, 2)
            || ' is at or below the base rate expected today (' || round(expected_base_rate_today, 3)
            || '): nearly everyone eligible qualifies'
        else 'no better than the naive rule "' || baseline_rule || '" (lift ' || coalesce(round(lift, 2), 0)
            || ', validation AUC ' || round(validation_auc, 3) || ' vs ' || round(baseline_auc, 3) || ')'
    end as message
from {{ ref('segment_model_report') }}
where launch_check != 'ok'
{%- endset %}

{{ log_warnings(failing_sql, [ref('segment_model_report')]) }}
{{ failing_sql }}
