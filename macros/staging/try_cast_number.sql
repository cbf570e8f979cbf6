{#- Cast to a double, or null when the input is not a number. -#}
{% macro try_cast_number(column) -%}
    {{ return(adapter.dispatch('try_cast_number', 'predseg')(column)) }}
{%- endmacro %}

{% macro default__try_cast_number(column) -%}
    cast({{ column }} as {{ dbt.type_float() }})
{%- endmacro %}

{% macro duckdb__try_cast_number(column) -%}
    try_cast({{ column }} as double)
{%- endmacro %}
