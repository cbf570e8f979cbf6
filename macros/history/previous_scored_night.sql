{#- A select of (segment_name, previous_as_of_date): for each segment scored on this run's night, the
    latest earlier night on which it was scored (null on its first), from segment_model_history. The night
    compared with by segment_changes and segment_stability. -#}
{% macro previous_scored_night(model_history, span) -%}
    select
        tonight.segment_name,
        max(earlier.as_of_date) as previous_as_of_date
    from {{ model_history }} as tonight
    inner join {{ span }} as span on tonight.as_of_date = span.as_of_date
    left join {{ model_history }} as earlier
        on
            tonight.segment_name = earlier.segment_name
            and earlier.as_of_date < span.as_of_date
            and earlier.is_scored
            and earlier.term_order = 0
    where tonight.is_scored and tonight.term_order = 0
    group by tonight.segment_name
{%- endmacro %}
