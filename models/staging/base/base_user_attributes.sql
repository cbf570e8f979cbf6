-- Every user attributes input row, its columns as trimmed text (and signup_date and updated_at parsed), user
-- ids normalised like the events'. A field holding a word for missing (NULL, NA, N/A ...) is missing. Empty,
-- with the same columns, when no attributes input is configured. A CSV file comes through
-- base_user_attributes_input: a line the reader could not read is a row with only unreadable_line set.
--
-- A table (staging models are views by default): stg_user_attributes reads it twice (its users, and their fields
-- through base_user_attribute_fields), and stg_user_attributes_rejected and its tests read it again, so each
-- input row is parsed once per build rather than once per reader.
{{ config(materialized='table') }}
{%- set attributes = categorical_attributes() %}
{#- signup_date and updated_at written in another format than ISO 8601 or epoch digits: tried first -#}
{%- set time_format = user_attributes_time_format() %}
{%- if has_user_attributes() %}
    {%- set names = input_column_names('user_attributes') %}
    {%- set columns = input_columns(
        'user_attributes', ref('base_user_attributes_input') if input_is_csv('user_attributes') else input_relation('user_attributes'),
        names.required, names.optional, names.mapping_var) %}
{%- else %}
    {%- set columns = {} %}
    {%- for name in ['user_id', 'timezone', 'signup_date', 'updated_at'] + attributes %}
        {%- do columns.update({name: {'column': none, 'type': none}}) %}
    {%- endfor %}
{%- endif %}
{%- set signup_date_sql = parse_utc_time(
    'signup_date_input', 'signup_date_raw', columns.signup_date.type, time_format) %}
{%- set updated_at_sql = parse_utc_time(
    'updated_at_input', 'updated_at_raw', columns.updated_at.type, time_format) %}

with

source as (

    -- depends_on: {{ ref('base_user_attributes_input') }}
    {% if input_is_csv('user_attributes') -%}
        select * from {{ ref('base_user_attributes_input') }}
    {%- elif has_user_attributes() -%}
        select
            *,
            cast(null as bigint) as input_line,
            cast(null as {{ dbt.type_string() }}) as unreadable_reason,
            cast(null as {{ dbt.type_string() }}) as raw_line
        from {{ input_relation('user_attributes') }}
    {%- else -%}
        select
            cast(null as bigint) as input_line,
            cast(null as {{ dbt.type_string() }}) as unreadable_reason,
            cast(null as {{ dbt.type_string() }}) as raw_line
        where false
    {%- endif %}

),

renamed as (

    select
    {%- for attribute in attributes %}
            {{ input_text_unless_marked_missing(columns, attribute) }} as {{ adapter.quote('attribute__' ~ attribute) }},
        {%- endfor %}
        {{ input_text_unless_marked_missing(columns, 'user_id') }} as user_id_raw,
        {{ input_text_unless_marked_missing(columns, 'timezone') }} as timezone,
        {{ input_text_unless_marked_missing(columns, 'signup_date') }} as signup_date_raw,
        {{ input_column(columns, 'signup_date') }} as signup_date_input,
        {{ input_text_unless_marked_missing(columns, 'updated_at') }} as updated_at_raw,
        {{ input_column(columns, 'updated_at') }} as updated_at_input,
        coalesce('line ' || input_line || ' ', '') || '(' || unreadable_reason || '): ' || raw_line
            as unreadable_line

    from source

),

parsed as (

    select
    {%- for attribute in attributes %}
            {{ adapter.quote('attribute__' ~ attribute) }},
        {%- endfor %}
        {{ normalize_id('user_id_raw') }} as user_id,
        user_id_raw,
        timezone,
        signup_date_raw,
        cast({{ signup_date_sql }} as date) as signup_date,
        updated_at_raw,
        {{ updated_at_sql }} as updated_at,
        unreadable_line

    from renamed

)

select * from parsed
