{#- Sums of doubles depend on the order the engine adds them in, which parallel aggregation does not fix:
    two runs could differ in the last bit. These sums are exact, so rebuilding gives identical tables.

    exact_sum: the sum of an amount column, exact to 1e-6 (money and similar), as a double.
    quantized_sum: the sum of double terms, each first rounded to a multiple of 2^-40 (about 1e-12) and
    added as integers: exact whatever the order. For terms well below 2^20 in size, such as log-odds. -#}
{% macro exact_sum(expression) -%}
    {{ return(adapter.dispatch('exact_sum', 'predseg')(expression)) }}
{%- endmacro %}

{% macro default__exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 6))) as double)
{%- endmacro %}

{% macro quantized_sum(expression) -%}
    {{ return(adapter.dispatch('quantized_sum', 'predseg')(expression)) }}
{%- endmacro %}

{% macro default__quantized_sum(expression) -%}
    (cast(sum(cast(round(({{ expression }}) * 1099511627776.0) as bigint)) as double) / 1099511627776.0)
{%- endmacro %}
