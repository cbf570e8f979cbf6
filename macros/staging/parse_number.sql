{#- An input value as a double, or null when it is absent or not a number. `column` is the typed input
    column, `text` the same value as trimmed text, `data_type` the input column's type (from
    input_columns): numeric columns cast directly, anything else is parsed from its text. NaN and
    infinity parse (staging rejects them with their own reason). -#}
{% macro parse_number(column, text, data_type) -%}
    {{ return(adapter.dispatch('parse_number', 'predseg')(column, text, data_type)) }}
{%- endmacro %}

{% macro default__parse_number(column, text, data_type) -%}
    {%- if input_type_kind(data_type) == 'number' -%}
        cast({{ column }} as {{ dbt.type_float() }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("parse_number of text is not implemented for adapter " ~ adapter.type()) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_number(column, text, data_type) -%}
    {%- if input_type_kind(data_type) == 'number' -%}
        cast({{ column }} as double)
    {%- else -%}
        try_cast({{ text }} as double)
    {%- endif -%}
{%- endmacro %}

{#- Spark has try_cast too: the same SQL. -#}
{% macro spark__parse_number(column, text, data_type) -%}
    {{ return(predseg.duckdb__parse_number(column, text, data_type)) }}
{%- endmacro %}
