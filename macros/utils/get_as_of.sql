{#- The `as_of` var as a SQL date literal, or `null` when unset. Fails at compile time unless it is a
    real calendar date written YYYY-MM-DD. -#}
{% macro get_as_of() %}
    {%- set as_of = var('as_of', none) -%}
    {%- if as_of is none or as_of | string | trim == '' -%}
        {{ return('null') }}
    {%- endif -%}
    {%- set text = as_of | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var 'as_of' must be a date written YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- set year, month, day = text.split('-') | map('int') | list -%}
    {%- set days_in_month = 0 if month < 1 or month > 12 else (
        modules.datetime.date(year + month // 12, month % 12 + 1, 1) - modules.datetime.timedelta(days=1)).day -%}
    {%- if day < 1 or day > days_in_month -%}
        {{ exceptions.raise_compiler_error("var 'as_of' is not a calendar date: '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{% endmacro %}
