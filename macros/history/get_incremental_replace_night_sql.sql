{#- The `replace_night` incremental strategy of the history tables: delete the rows of this run's night
    (the column named by the model's `night_column` config, as_of_date unless set, equal to the run's
    as_of_date in int_data_span) and insert the new ones, in one transaction. Rerunning a night replaces its
    rows, even when the new run has none; a backfilled older night touches no other night. -#}
{% macro get_incremental_replace_night_sql(arg_dict) -%}
    {%- set night_column = config.get('night_column') or 'as_of_date' -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ night_column }} in (select as_of_date from {{ ref('int_data_span') }});

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
