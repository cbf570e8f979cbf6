{#- The var `name` as an integer >= `minimum`; a compile-time error naming the var otherwise. -#}
{% macro int_var(name, minimum) %}
    {%- set value = var(name) -%}
    {%- if value is not integer or value is sameas true or value is sameas false or value < minimum -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ name ~ "' must be a whole number >= " ~ minimum ~ ", got " ~ value | string) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
