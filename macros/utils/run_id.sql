{#- The id of this run as a SQL text literal: every consumer table stamps its rows with it, so a reader (and
    the publication) can tell that the tables come from one run. dbt's invocation id, unless the `run_id`
    var names the run: a nightly run split over several dbt invocations (on Spark, before and after the
    model fits) passes the same id to each. -#}
{% macro run_id() -%}
    {%- set configured = var('run_id', none) -%}
    cast({{ sql_string(configured | string if configured else invocation_id) }} as {{ dbt.type_string() }})
{%- endmacro %}
