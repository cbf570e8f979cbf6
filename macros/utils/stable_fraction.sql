{#- A number in [0, 1) fixed by the text `key_sql`: the first 32 bits of its md5 (stable_number) over
    2^32, so the same key gives the same number on every run, engine and machine (unlike hash(), whose
    values may change between engine versions). -#}
{% macro stable_fraction(key_sql) -%}
    {{ stable_number(key_sql) }} / 4294967296.0
{%- endmacro %}
