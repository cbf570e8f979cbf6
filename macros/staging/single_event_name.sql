{#- The `single_event_name` var, trimmed: the event every input row is, for an input with one kind of event
    and no column naming it (an orders file: every row a purchase); none when unset. Anything but
    non-blank text is a compile error naming the var. -#}
{% macro single_event_name() -%}
    {%- set value = var('single_event_name', none) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is not string or value | trim == '' -%}
        {{ exceptions.raise_compiler_error(
            "var 'single_event_name' must be the name of the event every input row is (e.g. purchase), or null"
            ~ " for an input with an event name column; got " ~ value | string) }}
    {%- endif -%}
    {{ return(value | trim) }}
{%- endmacro %}
