{#- The body of the incremental strategies that keep part of a table (keep_windows, keep_segments): delete
    every row but those `kept_condition` is true for and insert the rows the model computed, in one
    transaction. `deleted_condition`, when given, names the deleted rows instead: a short condition true for
    them is cheaper to test on every row than the negation of a long one. -#}
{% macro keep_rows_sql(arg_dict, kept_condition, deleted_condition=none) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ deleted_condition if deleted_condition is not none else 'not (' ~ kept_condition ~ ')' }};

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
