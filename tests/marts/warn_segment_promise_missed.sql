-- Warns about each published night judged on this run whose realised precision fell short of the
-- precision promised that night by more than chance explains: the promise lies above the upper end of
-- the realised precision's Wilson 95 % interval.
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    realised.segment_name,
    realised.as_of_date,
    'segment ' || realised.segment_name || ': the members published on ' || cast(realised.as_of_date as {{ dbt.type_string() }})
    || ' were right ' || round(100 * realised.realised_precision, 1) || ' % of the time ('
    || realised.true_positives || ' of ' || realised.audience_size || ', 95 % interval '
    || round(100 * realised.realised_precision_low, 1) || '-' || round(100 * realised.realised_precision_high, 1)
    || ' %), below the promised ' || round(100 * realised.promised_precision, 1) || ' %' as message
from {{ ref('segment_realised_precision') }} as realised
inner join {{ ref('int_data_span') }} as span on realised.judged_as_of_date = span.as_of_date
where realised.is_promise_missed
{%- endset %}

{{ log_warnings(failing_sql, [ref('segment_realised_precision'), ref('int_data_span')]) }}
{{ failing_sql }}
