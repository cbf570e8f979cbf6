{#- Fractional days from one timestamp to another (positive when `end_at` is later). -#}
{% macro days_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('days_between', 'predseg')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__days_between(start_at, end_at) -%}
    ({{ dbt.datediff(start_at, end_at, 'second') }} / 86400.0)
{%- endmacro %}
