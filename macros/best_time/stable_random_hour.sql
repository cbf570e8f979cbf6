{#- A pseudo-random hour 0-23 fixed by `key_sql` (the same key gives the same hour on every run, engine
    and machine: it is drawn from stable_fraction, an md5 of the key). -#}
{% macro stable_random_hour(key_sql) -%}
    {{ return(adapter.dispatch('stable_random_hour', 'predseg')(key_sql)) }}
{%- endmacro %}

{% macro default__stable_random_hour(key_sql) -%}
    cast(floor({{ stable_fraction(key_sql) }} * 24) as integer)
{%- endmacro %}
