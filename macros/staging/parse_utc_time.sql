{#- An input time as a UTC timestamp (without time zone), or null when it cannot be parsed.
    `column` is the typed input column and `text` the same value as trimmed text; `data_type` is the
    input column's type (from input_columns), so the parse is chosen at compile time:
      * timestamps and dates cast directly (a time zone is converted to UTC);
      * numbers are epoch seconds (1e8 <= x < 1e11, 1973..5138), milliseconds (1e11 <= x < 1e14),
        microseconds (1e14 <= x < 1e17: GA4's event_timestamp) or nanoseconds (1e17 <= x < 1e20), each
        range the same years, so the magnitude says which; or, a whole number of eight digits below them,
        a compact date YYYYMMDD (a warehouse's date key, 20200101);
      * text: ISO 8601 with or without an offset (naive text is UTC; the offset may follow a space, as
        Ruby and Go write it), a date, an epoch number of any of
        those units written as digits, or a compact date YYYYMMDD; and first, when `text_format` is given
        (a strptime format such as '%m/%d/%Y %H:%M', or a list of them, from the event_time_format or
        user_attributes_time_format var), that format (naive times are UTC; text it does not match is read
        as above). -#}
{% macro parse_utc_time(column, text, data_type, text_format=none) -%}
    {{ return(adapter.dispatch('parse_utc_time', 'predseg')(column, text, data_type, text_format)) }}
{%- endmacro %}

{#- The event_time_format var, checked: null, or a strptime format (text with at least one % directive). -#}
{% macro event_time_format() -%}
    {%- set text_format = var('event_time_format', none) -%}
    {%- if text_format is not none and (text_format is not string or '%' not in text_format) -%}
        {{ exceptions.raise_compiler_error(
            "var event_time_format must be a strptime format such as '%m/%d/%Y %H:%M' (got "
            ~ text_format ~ ")") }}
    {%- endif -%}
    {%- if text_format is not none and target.type == 'spark' -%}
        {{ exceptions.raise_compiler_error(
            "var event_time_format is read on DuckDB only: on Spark, load event_time into a table as a"
            ~ " timestamp (to_timestamp with your format) and point events_table at it.") }}
    {%- endif -%}
    {{ return(text_format) }}
{%- endmacro %}

{#- The user_attributes_time_format var, checked: null, a strptime format, or a list of them (signup_date
    and updated_at are tried with each in turn: '%m/%d/%Y' for one, '%m/%d/%Y %H:%M' for the other). A
    list is returned as a list, a single format as text. -#}
{% macro user_attributes_time_format() -%}
    {%- set configured = var('user_attributes_time_format', none) -%}
    {%- if configured is none -%}{{ return(none) }}{%- endif -%}
    {%- set formats = [configured] if configured is string else configured -%}
    {%- if configured is mapping or formats is not iterable or formats | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var user_attributes_time_format must be a strptime format such as '%m/%d/%Y', or a list of them"
            ~ " (got " ~ configured ~ ")") }}
    {%- endif -%}
    {%- for text_format in formats -%}
        {%- if text_format is not string or '%' not in text_format -%}
            {{ exceptions.raise_compiler_error(
                "var user_attributes_time_format must be a strptime format such as '%m/%d/%Y', or a list of"
                ~ " them (got " ~ configured ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if target.type == 'spark' -%}
        {{ exceptions.raise_compiler_error(
            "var user_attributes_time_format is read on DuckDB only: on Spark, load the attributes into a table"
            ~ " with signup_date and updated_at as dates or timestamps and point user_attributes_table at it.") }}
    {%- endif -%}
    {{ return(configured if configured is string else formats | list) }}
{%- endmacro %}

{#- A sentence for messages about rejected rows: what to do about event times the parser could not read,
    naming one of them (the SQL expression `example`; '' when it is null, i.e. there is none). A number too
    small to be epoch seconds (at most 7 digits before any decimal point) is most likely a day or week
    number, or a spreadsheet's serial date: no strptime format reads those, so the hint says to make dates
    of them first. -#}
{% macro unparseable_time_hint(example) -%}
    coalesce(
        case
            when
                translate({{ example }}, '0123456789.', '') = ''
                and coalesce(nullif(instr({{ example }}, '.'), 0) - 1, length({{ example }})) between 1 and 7
                then
                    ' Times such as ''' || {{ example }} || ''' are numbers too small for epoch seconds (which'
                    || ' reach 100000000 in 1973): day or week numbers, or a spreadsheet''s serial dates (days'
                    || ' since 1899-12-30), are not times. Make dates of them first (e.g. a view over the input'
                    || ' with date ''1899-12-30'' + the serial, or your first day + the day number - 1, as'
                    || ' event_time) and point var events_table at it.'
            else
                ' Times such as ''' || {{ example }} || ''' are not ISO 8601, a date, an epoch number (seconds to'
                || ' nanoseconds), or YYYYMMDD: set var event_time_format to their strptime format (e.g.'
                || ' ''%m/%d/%Y %H:%M'' for 12/1/2010 8:26).'
        end,
        ''
    )
{%- endmacro %}

{% macro default__parse_utc_time(column, text, data_type, text_format) -%}
    {{ exceptions.raise_compiler_error("parse_utc_time is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__parse_utc_time(column, text, data_type, text_format) -%}
    {%- set kind = input_type_kind(data_type) -%}
    {%- if kind == 'time' -%}
        cast({{ column }} as timestamp)
    {%- elif kind == 'number' -%}
        coalesce(
            {{ predseg.duckdb__epoch_to_timestamp('cast(' ~ column ~ ' as double)') }},
            case when {{ predseg.is_compact_date_number(column) }} then try_strptime(cast(cast({{ column }} as bigint) as varchar), '%Y%m%d') end
        )
    {%- else -%}
        coalesce(
            {%- if text_format is not none %}
            {#- through timestamptz: a format with %z gives one, converted to UTC; a naive time is UTC #}
            {%- set quoted = [] %}
            {%- for one_format in ([text_format] if text_format is string else text_format) %}
                {%- do quoted.append(sql_string(one_format) | trim) %}
            {%- endfor %}
            {%- set formats_sql = quoted[0] if text_format is string else '[' ~ quoted | join(', ') ~ ']' %}
            cast(cast(try_strptime({{ text }}, {{ formats_sql }}) as timestamptz) as timestamp),
            {%- endif %}
            try_cast(try_cast({{ text }} as timestamptz) as timestamp),
            case
                when regexp_full_match({{ text }}, '[0-9]{8}') then try_strptime({{ text }}, '%Y%m%d')
                when regexp_full_match({{ text }}, '[0-9]+([.][0-9]*)?')
                    then {{ predseg.duckdb__epoch_to_timestamp('try_cast(' ~ text ~ ' as double)') }}
            end,
            {#- an offset after a space, as Ruby's Time#to_s (+0100) and Go's time.String (+0000 UTC) write it #}
            try_cast(try_cast(
                regexp_replace({{ text }}, ' ([+-][0-9]{2}):?([0-9]{2})( [A-Za-z]+)?$', '\1:\2') as timestamptz
            ) as timestamp)
        )
    {%- endif -%}
{%- endmacro %}

{#- Whether a number column holds a whole number of eight digits, below every epoch unit: a compact date
    YYYYMMDD (a warehouse's date key), which each engine then parses with its own function. -#}
{% macro is_compact_date_number(column) -%}
    {%- set number = 'cast(' ~ column ~ ' as double)' -%}
    ({{ number }} >= 1e7 and {{ number }} < 1e8 and {{ number }} = floor({{ number }}))
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(epoch) -%}
    case
        when {{ epoch }} >= 1e8 and {{ epoch }} < 1e11
            then cast(to_timestamp({{ epoch }}) as timestamp)
        when {{ epoch }} >= 1e11 and {{ epoch }} < 1e14
            then cast(to_timestamp({{ epoch }} / 1000.0) as timestamp)
        {#- microseconds are the timestamp's own unit: taken whole, not through seconds as a double #}
        when {{ epoch }} >= 1e14 and {{ epoch }} < 1e17
            then make_timestamp(cast(round({{ epoch }}) as bigint))
        when {{ epoch }} >= 1e17 and {{ epoch }} < 1e20
            then make_timestamp(cast(round({{ epoch }} / 1000.0) as bigint))
    end
{%- endmacro %}

{% macro spark__parse_utc_time(column, text, data_type, text_format) -%}
    {#- a text_format never reaches here: event_time_format() stops a Spark build that sets one -#}
    {%- set kind = input_type_kind(data_type) -%}
    {%- if kind == 'time' -%}
        cast({{ column }} as timestamp)
    {%- elif kind == 'number' -%}
        coalesce(
            {{ predseg.spark__epoch_to_timestamp('cast(' ~ column ~ ' as double)') }},
            case when {{ predseg.is_compact_date_number(column) }} then try_to_timestamp(cast(cast({{ column }} as bigint) as string), 'yyyyMMdd') end
        )
    {%- else -%}
        coalesce(
            try_cast({{ text }} as timestamp),
            case
                when {{ text }} rlike '^[0-9]{8}$' then try_to_timestamp({{ text }}, 'yyyyMMdd')
                when {{ text }} rlike '^[0-9]+([.][0-9]*)?$'
                    then {{ predseg.spark__epoch_to_timestamp('try_cast(' ~ text ~ ' as double)') }}
            end,
            try_cast(regexp_replace({{ text }}, ' ([+-][0-9]{2}):?([0-9]{2})( [A-Za-z]+)?$', '$1:$2') as timestamp)
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__epoch_to_timestamp(epoch) -%}
    case
        when {{ epoch }} >= 1e8 and {{ epoch }} < 1e11
            then timestamp_seconds({{ epoch }})
        when {{ epoch }} >= 1e11 and {{ epoch }} < 1e14
            then timestamp_seconds({{ epoch }} / 1000.0)
        when {{ epoch }} >= 1e14 and {{ epoch }} < 1e17
            then timestamp_micros(cast(round({{ epoch }}) as bigint))
        when {{ epoch }} >= 1e17 and {{ epoch }} < 1e20
            then timestamp_micros(cast(round({{ epoch }} / 1000.0) as bigint))
    end
{%- endmacro %}
