{#- Sums of doubles depend on the order the engine adds them in, which parallel aggregation does not fix:
    two runs could differ in the last bit. These sums are exact, so rebuilding gives identical tables.

    exact_sum: the sum of an amount column, exact to 1e-6 (money and similar), as a double.
    ordered_sum: the sum of double terms added in the order of `order_by` (few terms per group). -#}
{% macro exact_sum(expression) -%}
    {{ return(adapter.dispatch('exact_sum', 'predseg')(expression)) }}
{%- endmacro %}

{% macro default__exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 6))) as double)
{%- endmacro %}

{% macro ordered_sum(expression, order_by) -%}
    {{ return(adapter.dispatch('ordered_sum', 'predseg')(expression, order_by)) }}
{%- endmacro %}

{% macro default__ordered_sum(expression, order_by) -%}
    sum({{ expression }})
{%- endmacro %}

{% macro duckdb__ordered_sum(expression, order_by) -%}
    list_sum(list({{ expression }} order by {{ order_by }}))
{%- endmacro %}
