{#- Fractional days from one timestamp to another (positive when `end_at` is later). -#}
{% macro days_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('days_between', 'predseg')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__days_between(start_at, end_at) -%}
    ({{ dbt.datediff(start_at, end_at, 'second') }} / 86400.0)
{%- endmacro %}

{#- Spark: a decimal literal makes the division decimal (rounded to a few places); in double precision the
    result is DuckDB's. -#}
{% macro spark__days_between(start_at, end_at) -%}
    (cast({{ dbt.datediff(start_at, end_at, 'second') }} as double) / 86400.0)
{%- endmacro %}
