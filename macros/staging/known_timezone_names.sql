{#- A relation with one row per time zone name the engine knows, in a column `name`. -#}
{% macro known_timezone_names() -%}
    {{ return(adapter.dispatch('known_timezone_names', 'predseg')()) }}
{%- endmacro %}

{% macro default__known_timezone_names() -%}
    {{ exceptions.raise_compiler_error("known_timezone_names is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__known_timezone_names() -%}
    pg_timezone_names()
{%- endmacro %}
