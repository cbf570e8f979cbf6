{#- Our column `name` of an input as trimmed text (null when blank), from the mapping that
    input_columns returns; a typed null when the input lacks that (optional) column. `selected`: the
    input column under the name a query selected it as (default: the input's own column name). A JSON
    value (DuckDB types a JSON file's key as JSON when its values are of more than one kind: numbers in
    most rows, text in some) is taken as the text it holds, not as JSON (`"abc"`, quoted). -#}
{% macro input_text(columns, name, selected=none) -%}
    {%- if columns[name].column is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {%- set column = selected or adapter.quote(columns[name].column) -%}
        {%- if (columns[name].type or '') | string | trim | upper == 'JSON' -%}
            {%- set column = "json_extract_string(" ~ column ~ ", '$')" -%}
        {%- endif -%}
        {{ as_text(column) }}
    {%- endif -%}
{%- endmacro %}

{#- Our column `name` of an input as the input typed it (a typed null when absent). -#}
{% macro input_column(columns, name) -%}
    {%- if columns[name].column is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        {{ adapter.quote(columns[name].column) }}
    {%- endif -%}
{%- endmacro %}

{#- Whether our column `name` is missing in a row: null when the input typed it (a timestamp or number
    column), blank text otherwise. `column` is the typed input, `text` the same as trimmed text; a typed
    test needs no text, so well-typed inputs are never converted to text just to be checked. -#}
{% macro input_is_missing(columns, name, column, text) -%}
    {%- if columns[name].column is not none and input_type_kind(columns[name].type) in ('time', 'number') -%}
        ({{ column }} is null)
    {%- else -%}
        ({{ text }} is null)
    {%- endif -%}
{%- endmacro %}

{#- Whether trimmed text is one of the words exports write for a missing value (NULL, NA, N/A, #N/A, NaN,
    None, nil, \N) rather than leaving the field empty: such a field is missing, not a value of that name.
    Compared as written (a short list of spellings, no case folding), which costs next to nothing. -#}
{% macro is_null_marker(text) -%}
    ({{ text }} in (
        'NULL', 'null', 'Null', 'NA', 'N/A', 'n/a', '#N/A', 'NaN', 'nan', 'None', 'none', 'nil', chr(92) || 'N'
    ))
{%- endmacro %}

{#- input_text, with a word for missing (is_null_marker) read as missing: for the user attribute fields,
    where a timezone or plan written NULL would otherwise be an unknown zone or a category of its own. -#}
{% macro input_text_unless_marked_missing(columns, name) -%}
    {%- set text = input_text(columns, name) -%}
    case when not {{ is_null_marker(text) }} then {{ text }} end
{%- endmacro %}
