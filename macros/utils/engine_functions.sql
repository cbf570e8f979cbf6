{#- Functions every engine has under its own name. Each macro dispatches: a `duckdb__` and a `spark__`
    body, and a `default__` that stops the compile naming the adapter (add its body to support it). -#}

{#- The ISO weekday of a date or timestamp: 1 = Monday .. 7 = Sunday. -#}
{% macro iso_weekday(date_sql) -%}
    {{ return(adapter.dispatch('iso_weekday', 'predseg')(date_sql)) }}
{%- endmacro %}

{% macro default__iso_weekday(date_sql) -%}
    {{ exceptions.raise_compiler_error("iso_weekday is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__iso_weekday(date_sql) -%}
    isodow({{ date_sql }})
{%- endmacro %}

{% macro spark__iso_weekday(date_sql) -%}
    (((dayofweek({{ date_sql }}) + 5) % 7) + 1)
{%- endmacro %}

{#- An aggregate: the `value_sql` of the row with the greatest `key_sql` in the group. -#}
{% macro value_at_max(value_sql, key_sql) -%}
    {{ return(adapter.dispatch('value_at_max', 'predseg')(value_sql, key_sql)) }}
{%- endmacro %}

{% macro default__value_at_max(value_sql, key_sql) -%}
    {{ exceptions.raise_compiler_error("value_at_max is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__value_at_max(value_sql, key_sql) -%}
    arg_max({{ value_sql }}, {{ key_sql }})
{%- endmacro %}

{% macro spark__value_at_max(value_sql, key_sql) -%}
    max_by({{ value_sql }}, {{ key_sql }})
{%- endmacro %}

{#- In a select list: one output row per element of the list `list_sql` (no row for an empty list). -#}
{% macro unnest_list(list_sql) -%}
    {{ return(adapter.dispatch('unnest_list', 'predseg')(list_sql)) }}
{%- endmacro %}

{% macro default__unnest_list(list_sql) -%}
    {{ exceptions.raise_compiler_error("unnest_list is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__unnest_list(list_sql) -%}
    unnest({{ list_sql }})
{%- endmacro %}

{% macro spark__unnest_list(list_sql) -%}
    explode({{ list_sql }})
{%- endmacro %}

{#- In a select list: `count_sql` output rows numbered 0 .. count - 1 (none when the count is below 1). -#}
{% macro copy_numbers(count_sql) -%}
    {{ return(adapter.dispatch('copy_numbers', 'predseg')(count_sql)) }}
{%- endmacro %}

{% macro default__copy_numbers(count_sql) -%}
    {{ exceptions.raise_compiler_error("copy_numbers is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__copy_numbers(count_sql) -%}
    unnest(range({{ count_sql }}))
{%- endmacro %}

{% macro spark__copy_numbers(count_sql) -%}
    explode(case when {{ count_sql }} >= 1 then sequence(0, {{ count_sql }} - 1) else array() end)
{%- endmacro %}
