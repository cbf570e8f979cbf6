{#- A UTC timestamp (without time zone) as wall-clock time in `timezone_sql` (an IANA name), and back.
    Daylight-saving rules come from the engine's time zone database. -#}
{% macro utc_to_local(timestamp_sql, timezone_sql) -%}
    {{ return(adapter.dispatch('utc_to_local', 'predseg')(timestamp_sql, timezone_sql)) }}
{%- endmacro %}

{% macro default__utc_to_local(timestamp_sql, timezone_sql) -%}
    {{ exceptions.raise_compiler_error("utc_to_local is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__utc_to_local(timestamp_sql, timezone_sql) -%}
    timezone({{ timezone_sql }}, timezone('UTC', {{ timestamp_sql }}))
{%- endmacro %}

{% macro spark__utc_to_local(timestamp_sql, timezone_sql) -%}
    from_utc_timestamp({{ timestamp_sql }}, {{ timezone_sql }})
{%- endmacro %}

{% macro local_to_utc(timestamp_sql, timezone_sql) -%}
    {{ return(adapter.dispatch('local_to_utc', 'predseg')(timestamp_sql, timezone_sql)) }}
{%- endmacro %}

{% macro default__local_to_utc(timestamp_sql, timezone_sql) -%}
    {{ exceptions.raise_compiler_error("local_to_utc is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(timestamp_sql, timezone_sql) -%}
    timezone('UTC', timezone({{ timezone_sql }}, {{ timestamp_sql }}))
{%- endmacro %}

{% macro spark__local_to_utc(timestamp_sql, timezone_sql) -%}
    to_utc_timestamp({{ timestamp_sql }}, {{ timezone_sql }})
{%- endmacro %}
