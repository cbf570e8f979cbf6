{#- The query of warn_input_files_lack_columns: one row (files, message) per column that staging reads
    and that some files of a Parquet glob lack while others have it (parquet_inputs_to_check). On DuckDB
    only the files' footers are read (parquet_metadata); elsewhere no input is read by column name, and
    the query finds nothing. -#}
{% macro input_files_lacking_columns() -%}
    {{ return(adapter.dispatch('input_files_lacking_columns', 'predseg')()) }}
{%- endmacro %}

{% macro default__input_files_lacking_columns() -%}
    {{ return("select 0 as files, 'no Parquet input is read by column name' as message where 1 = 0") }}
{%- endmacro %}

{% macro duckdb__input_files_lacking_columns() -%}
    {%- set inputs = parquet_inputs_to_check() -%}
    {%- if not inputs -%}
        {{ return(default__input_files_lacking_columns()) }}
    {%- endif -%}
    {%- set query -%}
with

{%- for input in inputs %}

{{ input.kind }}_chunks as (

    select
        file_name,
        row_group_id,
        row_group_num_rows,
        -- a nested column's path names its top-level column first
        lower(split_part(path_in_schema, ', ', 1)) as column_name
    from parquet_metadata({{ sql_string(input.path) }})

),

{{ input.kind }}_files as (

    select
        file_name,
        sum(row_group_rows) as file_rows
    from (
        select
            file_name,
            row_group_id,
            max(row_group_num_rows) as row_group_rows
        from {{ input.kind }}_chunks
        group by 1, 2
    ) as row_groups
    group by 1
    having sum(row_group_rows) > 0

),

{{ input.kind }}_present as (

    select distinct
        file_name,
        column_name
    from {{ input.kind }}_chunks

),

{{ input.kind }}_lacking as (

    select
        wanted.column_name,
        count(*) as files,
        sum(files.file_rows) as file_rows,
        min(files.file_name) as example,
        (select count(*) from {{ input.kind }}_files) as all_files
    from (
        select unnest({{ input.columns_sql }}) as column_name
    ) as wanted
    cross join {{ input.kind }}_files as files
    left join {{ input.kind }}_present as present
        on
            files.file_name = present.file_name
            and wanted.column_name = present.column_name
    where
        present.file_name is null
        and wanted.column_name in (select column_name from {{ input.kind }}_present)
    group by 1

),
{%- endfor %}

lacking as (
{% for input in inputs %}
{%- if not loop.first %}
    union all
{% endif %}
    select
        files,
        {{ sql_string(input.described_as) }} || ': column ' || column_name || ', which its other files have,'
        || ' is missing from ' || files || ' of its ' || all_files || ' Parquet files (e.g. ' || example
        || '): their ' || file_rows || ' rows read it as missing' as message
    from {{ input.kind }}_lacking
{% endfor %}
)

select
    files,
    message
    || ' (an event without its user, time or name is rejected; one without a value is kept without an'
    || ' amount; an attribute is unknown). Fill the column in those files, or read them through a view'
    || ' (events_table, user_attributes_table) that says what it should be.' as message
from lacking
    {%- endset -%}
    {{ return(query) }}
{%- endmacro %}
