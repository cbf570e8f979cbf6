{#- An input value as a double, or null when it is absent or not a number. `column` is the typed input
    column, `text` the same value as trimmed text, `data_type` the input column's type (from
    input_columns): numeric columns cast directly, anything else is parsed from its text. NaN and
    infinity parse (staging rejects them with their own reason).

    On DuckDB, text as spreadsheets and shops write amounts parses too: a currency mark before or after
    the number ($ € £ ¥ ₹ ₺ or a three-letter code such as USD; see value_mark) and thousands separators
    in groups of three ('1,234.50'). With var decimal_separator ',' the comma is the decimal mark and a
    dot the thousands separator ('1.234,50'); a number with a decimal dot then does not parse. -#}
{% macro parse_number(column, text, data_type) -%}
    {{ return(adapter.dispatch('parse_number', 'predseg')(column, text, data_type)) }}
{%- endmacro %}

{#- The currency mark a text value was written with ('$', 'EUR'), or null: for a check that one file's
    amounts are in one currency (staging sums them as they are). -#}
{% macro value_mark(text, data_type) -%}
    {{ return(adapter.dispatch('value_mark', 'predseg')(text, data_type)) }}
{%- endmacro %}

{#- The var decimal_separator, checked: '.' (the default) or ','. -#}
{% macro decimal_separator() -%}
    {%- set separator = var('decimal_separator', '.') -%}
    {%- if separator not in ('.', ',') -%}
        {{ exceptions.raise_compiler_error(
            "var decimal_separator must be '.' or ',' (got '" ~ separator ~ "')") }}
    {%- endif -%}
    {{ return(separator) }}
{%- endmacro %}

{#- The pattern of an amount written as text: sign, currency mark, number, currency mark (group 1: the
    sign, 2 and 4: the marks, 3: the number with its separators). -#}
{% macro amount_pattern() -%}
    {%- set mark = '([$€£¥₹₺]|[A-Z]{3})' -%}
    {%- if decimal_separator() == ',' -%}
        {%- set number = '([0-9]{1,3}(?:[.][0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?|,[0-9]+)' -%}
    {%- else -%}
        {%- set number = '([0-9]{1,3}(?:,[0-9]{3})+(?:[.][0-9]+)?|[0-9]+(?:[.][0-9]+)?|[.][0-9]+)' -%}
    {%- endif -%}
    {{ return('^([+-]?) *' ~ mark ~ '? *' ~ number ~ ' *' ~ mark ~ '?$') }}
{%- endmacro %}

{#- A sentence for messages about rejected rows: that values such as the given one (the SQL expression
    `example`) are not numbers with the configured decimal mark; '' when it is null. -#}
{% macro unparseable_value_hint(example) -%}
    coalesce(
        ' Values such as ''' || {{ example }} || ''' are not numbers with the decimal mark '''
        || '{{ decimal_separator() }}'' (var decimal_separator; a currency mark and thousands separators are read).',
        ''
    )
{%- endmacro %}

{% macro default__parse_number(column, text, data_type) -%}
    {%- if input_type_kind(data_type) == 'number' -%}
        cast({{ column }} as {{ dbt.type_float() }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("parse_number of text is not implemented for adapter " ~ adapter.type()) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__parse_number(column, text, data_type) -%}
    {%- if input_type_kind(data_type) == 'number' -%}
        cast({{ column }} as double)
    {%- else -%}
        {%- set pattern = "'" ~ amount_pattern() ~ "'" -%}
        {%- set number = 'regexp_extract(' ~ text ~ ', ' ~ pattern ~ ', 3)' -%}
        {%- set sign = 'regexp_extract(' ~ text ~ ', ' ~ pattern ~ ', 1)' -%}
        {%- if decimal_separator() == ',' -%}
            {%- set plain = "replace(replace(" ~ number ~ ", '.', ''), ',', '.')" -%}
        {%- else -%}
            {%- set plain = "replace(" ~ number ~ ", ',', '')" -%}
        {%- endif -%}
        {#- the plain form first (a plain number, NaN, infinity, an exponent); the written forms only for
            the rest -#}
        coalesce(
            {%- if decimal_separator() == '.' %}
            try_cast({{ text }} as double),
            {%- else %}
            case when not contains({{ text }}, '.') then try_cast({{ text }} as double) end,
            {%- endif %}
            try_cast(nullif({{ sign }} || {{ plain }}, {{ sign }}) as double)
        )
    {%- endif -%}
{%- endmacro %}

{% macro default__value_mark(text, data_type) -%}
    cast(null as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__value_mark(text, data_type) -%}
    {%- if input_type_kind(data_type) == 'number' -%}
        cast(null as varchar)
    {%- else -%}
        {%- set pattern = "'" ~ amount_pattern() ~ "'" -%}
        {#- a plain number has no mark: the pattern is matched only on the rest -#}
        case when try_cast({{ text }} as double) is null then
            nullif(regexp_extract({{ text }}, {{ pattern }}, 2) || regexp_extract({{ text }}, {{ pattern }}, 4), '')
        end
    {%- endif -%}
{%- endmacro %}

{#- Spark has try_cast too: plain numbers only (amounts with marks or separators are rejected there). -#}
{% macro spark__parse_number(column, text, data_type) -%}
    {%- if input_type_kind(data_type) == 'number' -%}
        cast({{ column }} as double)
    {%- else -%}
        try_cast({{ text }} as double)
    {%- endif -%}
{%- endmacro %}
