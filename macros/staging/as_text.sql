{#- An input column as text without surrounding whitespace (spaces, tabs, carriage returns, newlines),
    null when blank: the form raw values are kept and parsed in. -#}
{% macro as_text(column) -%}
    {{ return(adapter.dispatch('as_text', 'predseg')(column)) }}
{%- endmacro %}

{% macro default__as_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{% macro duckdb__as_text(column) -%}
    nullif(trim(cast({{ column }} as varchar), ' ' || chr(9) || chr(10) || chr(13)), '')
{%- endmacro %}

{% macro spark__as_text(column) -%}
    nullif(trim(both concat(' ', char(9), char(10), char(13)) from cast({{ column }} as string)), '')
{%- endmacro %}
