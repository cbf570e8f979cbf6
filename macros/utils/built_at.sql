{#- When this dbt run started (UTC), as a SQL timestamp literal: the incremental tables that replace whole
    days stamp the rows each run writes with it, so their key tests can check only what the latest run
    wrote (test unique_combination_of_columns_per_run). -#}
{% macro built_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
