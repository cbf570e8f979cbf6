{#- An input column as text without surrounding whitespace (spaces, tabs, carriage returns, newlines),
    null when blank: the form raw values are kept and parsed in. -#}
{% macro as_text(column) -%}
    {{ return(adapter.dispatch('as_text', 'predseg')(column)) }}
{%- endmacro %}

{% macro default__as_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- Trimming with a set of characters costs three times a plain trim on DuckDB, so only text that starts
    or ends with one of them is trimmed (most ids and names do not). -#}
{% macro duckdb__as_text(column) -%}
    {%- set text = 'cast(' ~ column ~ ' as varchar)' -%}
    {%- set blanks = "(' ', chr(9), chr(10), chr(13))" -%}
    nullif(
        case
            when {{ text }}[1] in {{ blanks }} or {{ text }}[-1] in {{ blanks }}
                then trim({{ text }}, ' ' || chr(9) || chr(10) || chr(13))
            else {{ text }}
        end,
        ''
    )
{%- endmacro %}

{% macro spark__as_text(column) -%}
    nullif(trim(both concat(' ', char(9), char(10), char(13)) from cast({{ column }} as string)), '')
{%- endmacro %}
