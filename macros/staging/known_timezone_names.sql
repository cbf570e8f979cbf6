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

{#- Spark has no table of its time zones: the IANA names pytz knows (the same database Java's time zones
    come from), written into the query. -#}
{% macro spark__known_timezone_names() -%}
    (select explode(array(
        {%- for name in modules.pytz.all_timezones %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor -%}
    )) as name)
{%- endmacro %}
