{#- A number in [0, 1) fixed by the text `key_sql`: the first 32 bits of its md5, so the same key gives
    the same number on every run, engine and machine (unlike hash(), whose values may change between
    engine versions). -#}
{% macro stable_fraction(key_sql) -%}
    {{ return(adapter.dispatch('stable_fraction', 'predseg')(key_sql)) }}
{%- endmacro %}

{% macro default__stable_fraction(key_sql) -%}
    {{ exceptions.raise_compiler_error("stable_fraction is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__stable_fraction(key_sql) -%}
    cast(('0x' || substr(md5({{ key_sql }}), 1, 8)) as bigint) / 4294967296.0
{%- endmacro %}

{% macro spark__stable_fraction(key_sql) -%}
    cast(conv(substr(md5({{ key_sql }}), 1, 8), 16, 10) as bigint) / 4294967296.0
{%- endmacro %}
