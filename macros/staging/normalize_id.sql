{#- A user id as comparable text: trimmed, blank as null, and a whole number written with a decimal
    point ("1068.0", what a float column or a spreadsheet makes of 1068) as the integer ("1068"), so ids
    from a float column match the same ids from an integer or text column. -#}
{% macro normalize_id(text) -%}
    {{ return(adapter.dispatch('normalize_id', 'predseg')(text)) }}
{%- endmacro %}

{% macro default__normalize_id(text) -%}
    {{ exceptions.raise_compiler_error("normalize_id is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__normalize_id(text) -%}
    {{ predseg.normalize_id_with(text, '\\1') }}
{%- endmacro %}

{% macro spark__normalize_id(text) -%}
    {{ predseg.normalize_id_with(text, '$1') }}
{%- endmacro %}

{#- The body of normalize_id, given how the engine's regexp_replace names the first captured group. -#}
{% macro normalize_id_with(text, first_group) -%}
    nullif(
        case
            -- the regular expression only where it can match: most ids have no decimal point
            when {{ text }} like '%.%' then regexp_replace(trim({{ text }}), '^([+-]?[0-9]+)[.]0+$', '{{ first_group }}')
            else trim({{ text }})
        end,
        ''
    )
{%- endmacro %}
