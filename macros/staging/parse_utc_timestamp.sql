{#- Parse a timestamp, date or ISO 8601 text column to a UTC timestamp without time zone, or null when it
    cannot be parsed. Text with an offset is converted to UTC; naive text is taken as UTC (the profile sets
    the session time zone to UTC). -#}
{% macro parse_utc_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'predseg')(column)) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(column) -%}
    {#- Typed columns cast directly; only text goes through timestamptz, which honours offsets (a plain
        cast to timestamp would drop them). typeof() is constant per column, so typed input pays nothing. -#}
    case
        when typeof({{ column }}) in ('TIMESTAMP', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_NS',
            'TIMESTAMP_MS', 'TIMESTAMP_S')
            then try_cast({{ column }} as timestamp)
        else try_cast(try_cast({{ column }} as timestamptz) as timestamp)
    end
{%- endmacro %}
