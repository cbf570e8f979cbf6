{#- A whole number in [0, 2^32) fixed by the text `key_sql`: the first 32 bits of its md5, as a bigint.
    Sums of it are exact and the same on every engine (a fraction scaled back up is not: engines round or
    truncate the product differently). -#}
{% macro stable_number(key_sql) -%}
    {{ return(adapter.dispatch('stable_number', 'predseg')(key_sql)) }}
{%- endmacro %}

{% macro default__stable_number(key_sql) -%}
    {{ exceptions.raise_compiler_error("stable_number is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__stable_number(key_sql) -%}
    cast(('0x' || substr(md5({{ key_sql }}), 1, 8)) as bigint)
{%- endmacro %}

{% macro spark__stable_number(key_sql) -%}
    cast(conv(substr(md5({{ key_sql }}), 1, 8), 16, 10) as bigint)
{%- endmacro %}
