{#- The keyword that makes a common table expression read more than once be computed once (DuckDB and
    PostgreSQL: `as materialized (...)`). Engines without it get nothing: the query is the same, and the
    engine decides whether to compute the expression again. -#}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'predseg')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    materialized
{%- endmacro %}
