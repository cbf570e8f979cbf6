{#- A pseudo-random hour 0-23 fixed by `key_sql` (the same key gives the same hour on every run). -#}
{% macro stable_random_hour(key_sql) -%}
    {{ return(adapter.dispatch('stable_random_hour', 'predseg')(key_sql)) }}
{%- endmacro %}

{% macro default__stable_random_hour(key_sql) -%}
    {{ exceptions.raise_compiler_error("stable_random_hour is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__stable_random_hour(key_sql) -%}
    cast(hash({{ key_sql }}) % 24 as integer)
{%- endmacro %}
