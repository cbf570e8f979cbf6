{#- The `replace_night` incremental strategy of the history tables: delete the rows of this run's night
    (the column named by the model's `night_column` config, as_of_date unless set, equal to the run's
    as_of_date in int_data_span) and insert the new ones, in one transaction. Rerunning a night replaces its
    rows, even when the new run has none; a backfilled older night touches no other night. The night's rows
    are then dropped: dbt-duckdb builds a Python model's rows as a table of the model's schema and leaves it
    behind (a SQL model's are a temporary table, dropped as well). -#}
{% macro get_incremental_replace_night_sql(arg_dict) -%}
    {%- set night_column = config.get('night_column') or 'as_of_date' -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ night_column }} in (select as_of_date from {{ ref('int_data_span') }});

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }};

    drop table if exists {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- Engines without custom incremental strategies (Spark) keep a history table partitioned by its night
    column and overwrite the partitions of the nights a run writes (`insert_overwrite`). A rerun night that
    now has no rows would keep its old ones, so on those engines this pre-hook first drops the run's night
    partition, as `replace_night`'s delete does. A table keyed by `unique_key` replaces only the keys the run
    writes (delete+insert on DuckDB), and keeps the rest. Renders nothing on DuckDB. -#}
{% macro clear_night_partition() -%}
    {%- if execute and config.get('incremental_strategy') == 'insert_overwrite' and not config.get('unique_key')
        and is_incremental() -%}
        {%- set night_column = config.get('night_column') or 'as_of_date' -%}
        {%- set as_of = run_query('select as_of_date from ' ~ ref('int_data_span')).columns[0].values()[0] -%}
        alter table {{ this }} drop if exists partition ({{ night_column }} = date'{{ as_of }}')
    {%- endif -%}
{%- endmacro %}
