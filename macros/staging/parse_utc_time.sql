{#- An input time as a UTC timestamp (without time zone), or null when it cannot be parsed.
    `column` is the typed input column and `text` the same value as trimmed text; `data_type` is the
    input column's type (from input_columns), so the parse is chosen at compile time:
      * timestamps and dates cast directly (a time zone is converted to UTC);
      * numbers are epoch seconds (1e8 <= x < 1e11, 1973..5138) or milliseconds (1e11 <= x < 1e14);
      * text: ISO 8601 with or without an offset (naive text is UTC), a date, epoch seconds or
        milliseconds written as digits, or a compact date YYYYMMDD. -#}
{% macro parse_utc_time(column, text, data_type) -%}
    {{ return(adapter.dispatch('parse_utc_time', 'predseg')(column, text, data_type)) }}
{%- endmacro %}

{% macro default__parse_utc_time(column, text, data_type) -%}
    {{ exceptions.raise_compiler_error("parse_utc_time is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__parse_utc_time(column, text, data_type) -%}
    {%- set kind = input_type_kind(data_type) -%}
    {%- if kind == 'time' -%}
        cast({{ column }} as timestamp)
    {%- elif kind == 'number' -%}
        {{ predseg.duckdb__epoch_to_timestamp('cast(' ~ column ~ ' as double)') }}
    {%- else -%}
        coalesce(
            try_cast(try_cast({{ text }} as timestamptz) as timestamp),
            case
                when regexp_full_match({{ text }}, '[0-9]{8}') then try_strptime({{ text }}, '%Y%m%d')
                when regexp_full_match({{ text }}, '[0-9]+([.][0-9]*)?')
                    then {{ predseg.duckdb__epoch_to_timestamp('try_cast(' ~ text ~ ' as double)') }}
            end
        )
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(seconds_or_ms) -%}
    case
        when {{ seconds_or_ms }} >= 1e8 and {{ seconds_or_ms }} < 1e11
            then cast(to_timestamp({{ seconds_or_ms }}) as timestamp)
        when {{ seconds_or_ms }} >= 1e11 and {{ seconds_or_ms }} < 1e14
            then cast(to_timestamp({{ seconds_or_ms }} / 1000.0) as timestamp)
    end
{%- endmacro %}

{% macro spark__parse_utc_time(column, text, data_type) -%}
    {%- set kind = input_type_kind(data_type) -%}
    {%- if kind == 'time' -%}
        cast({{ column }} as timestamp)
    {%- elif kind == 'number' -%}
        {{ predseg.spark__epoch_to_timestamp('cast(' ~ column ~ ' as double)') }}
    {%- else -%}
        coalesce(
            try_cast({{ text }} as timestamp),
            case
                when {{ text }} rlike '^[0-9]{8}$' then try_to_timestamp({{ text }}, 'yyyyMMdd')
                when {{ text }} rlike '^[0-9]+([.][0-9]*)?$'
                    then {{ predseg.spark__epoch_to_timestamp('try_cast(' ~ text ~ ' as double)') }}
            end
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__epoch_to_timestamp(seconds_or_ms) -%}
    case
        when {{ seconds_or_ms }} >= 1e8 and {{ seconds_or_ms }} < 1e11
            then timestamp_seconds({{ seconds_or_ms }})
        when {{ seconds_or_ms }} >= 1e11 and {{ seconds_or_ms }} < 1e14
            then timestamp_seconds({{ seconds_or_ms }} / 1000.0)
    end
{%- endmacro %}
