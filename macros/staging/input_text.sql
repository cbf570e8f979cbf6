{#- Our column `name` of an input as trimmed text (null when blank), from the mapping that
    input_columns returns; a typed null when the input lacks that (optional) column. -#}
{% macro input_text(columns, name) -%}
    {%- if columns[name].column is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ as_text(adapter.quote(columns[name].column)) }}
    {%- endif -%}
{%- endmacro %}

{#- Our column `name` of an input as the input typed it (a typed null when absent). -#}
{% macro input_column(columns, name) -%}
    {%- if columns[name].column is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ adapter.quote(columns[name].column) }}
    {%- endif -%}
{%- endmacro %}
