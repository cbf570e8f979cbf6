{#- A `select ... union all select ...` with one row per validated segment (see get_segments). Every
    configured text goes through sql_string, so names with quotes or SQL metacharacters stay data. -#}
{% macro segment_definitions_sql() %}
    {%- for segment in get_segments() %}
    select
        {{ loop.index }} as segment_order,
        cast({{ sql_string(segment.name) }} as {{ dbt.type_string() }}) as segment_name,
        cast({{ sql_string(segment.target_event) }} as {{ dbt.type_string() }}) as target_event,
        cast({{ sql_string(segment.direction) }} as {{ dbt.type_string() }}) as direction,
        cast({{ 'null' if segment.past_days is none else segment.past_days }} as integer) as past_days,
        cast({{ segment.future_days }} as integer) as future_days,
        cast({{ segment.precision }} as double) as requested_precision,
        cast({{ sql_string(segment.precision_level) }} as {{ dbt.type_string() }}) as precision_level,
        cast({{ sql_string(segment.eligible_event) }} as {{ dbt.type_string() }}) as eligible_event,
        cast({{ sql_string(segment.population) }} as {{ dbt.type_string() }}) as population,
        cast({{ 'null' if segment.min_value is none else segment.min_value }} as double) as min_value,
        {%- set feature_events = none if segment.feature_events is none else [] %}
        {%- for event in segment.feature_events or [] %}{% do feature_events.append(sql_string(event)) %}{% endfor %}
        {{ text_list(feature_events) }} as feature_events,
        cast({{ sql_string(segment.description) }} as {{ dbt.type_string() }}) as segment_description
    {{ 'union all' if not loop.last }}
    {%- endfor %}
{% endmacro %}
