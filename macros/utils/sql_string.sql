{#- Render a Jinja value as a SQL string literal (quotes doubled), or `null`. Config values pass through
    here, never straight into SQL. -#}
{% macro sql_string(value) -%}
    {%- if value is none -%}
        null
    {%- else -%}
        '{{ value | string | replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
