{#- The id of this dbt invocation as a SQL text literal: every consumer table stamps its rows with it, so
    a reader (and the publication) can tell that the tables come from one run. -#}
{% macro run_id() -%}
    cast('{{ invocation_id }}' as {{ dbt.type_string() }})
{%- endmacro %}
