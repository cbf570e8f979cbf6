-- Warns about each segment whose night (this run's) moved more than the vars allow against the previous
-- night it was scored: fewer members in common than min_member_jaccard, a score distribution shifted by
-- more than max_score_psi, or a base rate of the newest labelled cutoff that moved by more than
-- max_base_rate_change of the previous night's. Often a sign of a broken load or a tracking change.
{{ config(severity='warn') }}

{%- set failing_sql %}
select
    stability.segment_name,
    'segment ' || stability.segment_name || ' on ' || cast(stability.as_of_date as {{ dbt.type_string() }})
    || ' against ' || cast(stability.previous_as_of_date as {{ dbt.type_string() }}) || ': ' || concat_ws('; ',
        case
            when stability.member_jaccard < {{ var('min_member_jaccard') }}
                then 'only ' || round(100 * stability.member_jaccard, 1) || ' % of the members in common ('
                || stability.entered_members || ' entered, ' || stability.left_members || ' left)'
        end,
        case
            when stability.score_psi > {{ var('max_score_psi') }}
                then 'the scores shifted (population stability index ' || round(stability.score_psi, 3) || ')'
        end,
        case
            when abs(stability.base_rate_change) > {{ var('max_base_rate_change') }}
                then 'the base rate moved from ' || round(stability.previous_newest_labelled_base_rate, 4)
                || ' to ' || round(stability.newest_labelled_base_rate, 4)
        end
    ) as message
from {{ ref('segment_stability') }} as stability
inner join {{ ref('int_data_span') }} as span on stability.as_of_date = span.as_of_date
where
    stability.member_jaccard < {{ var('min_member_jaccard') }}
    or stability.score_psi > {{ var('max_score_psi') }}
    or abs(stability.base_rate_change) > {{ var('max_base_rate_change') }}
{%- endset %}

{{ log_warnings(failing_sql, [ref('segment_stability'), ref('int_data_span')]) }}
{{ failing_sql }}
