{#- What kind of value an input column's database type holds: 'time' (timestamps and dates), 'number'
    (integers, decimals, floats) or 'text' (anything else, parsed from its text). -#}
{% macro input_type_kind(data_type) -%}
    {%- set upper = (data_type or 'VARCHAR') | string | trim | upper -%}
    {%- if modules.re.match('^(TIMESTAMP.*|DATE|DATETIME.*)$', upper) -%}
        {{ return('time') }}
    {%- elif modules.re.match(
        '^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?[0-9]*|LONG|SHORT|DOUBLE|FLOAT[0-9]*|REAL|(DECIMAL|NUMERIC)([(].*)?)$',
        upper) -%}
        {{ return('number') }}
    {%- else -%}
        {{ return('text') }}
    {%- endif -%}
{%- endmacro %}
