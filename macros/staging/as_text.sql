{#- An input column as trimmed text, null when blank: the form raw values are kept and parsed in. -#}
{% macro as_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
