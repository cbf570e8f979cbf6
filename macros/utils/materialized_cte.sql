{#- The keyword that makes a common table expression read more than once be computed once (DuckDB and
    PostgreSQL: `as materialized (...)`), or, with `computed_once=false`, computed again where it is read
    (`not materialized`: cheaper than keeping a large result in memory between its readers). Engines
    without them get nothing: the query is the same, and the engine decides. -#}
{% macro materialized_cte(computed_once=true) -%}
    {{ return(adapter.dispatch('materialized_cte', 'predseg')(computed_once)) }}
{%- endmacro %}

{% macro default__materialized_cte(computed_once) -%}
{%- endmacro %}

{% macro duckdb__materialized_cte(computed_once) -%}
    {{ 'materialized' if computed_once else 'not materialized' }}
{%- endmacro %}
