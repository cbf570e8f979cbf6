{#- The rules that make a user part of a segment's population and its prediction true, written once for
    the training labels (int_segment_labels, int_segment_eligibility) and for judging published nights
    (segment_realised_precision). -#}

{#- The event whose occurrence in the past window puts a user in the population, or null for all_users
    (every user seen before the cutoff). -#}
{% macro population_event(population_sql, target_event_sql, eligible_event_sql) -%}
    case {{ population_sql }}
        when 'did_eligible_event' then {{ eligible_event_sql }}
        when 'did_target_event' then {{ target_event_sql }}
    end
{%- endmacro %}

{#- Whether the user did the target event in the future window: at least once, with at least min_value
    summed value when the segment sets one. -#}
{% macro did_target_event(event_count_sql, value_sum_sql, min_value_sql) -%}
    (
        coalesce({{ event_count_sql }}, 0) > 0
        and ({{ min_value_sql }} is null or coalesce({{ value_sum_sql }}, 0) >= {{ min_value_sql }})
    )
{%- endmacro %}

{#- 1 when the segment's prediction came true (will_do: did the target event; will_not_do: did not). -#}
{% macro segment_label(direction_sql, did_target_event_sql) -%}
    case
        when {{ direction_sql }} = 'will_do' and {{ did_target_event_sql }} then 1
        when {{ direction_sql }} = 'will_not_do' and not {{ did_target_event_sql }} then 1
        else 0
    end
{%- endmacro %}
