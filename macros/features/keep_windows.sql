{#- The training windows (cutoff_at, past_days) whose rows `relation` already holds under tonight's key:
    their rows are what tonight would compute again. The key is the relation's `key_column`: the
    training_data_key (int_feature_windows' for the window), or the training_rows_key (int_training_state's,
    which a model reading it names as a dependency). A list of (cutoff_at, past_days) pairs as text, queried
    before the model's query is compiled (none while dbt only parses), so the model and the keep_windows
    strategy read the same list as constants. -#}
{% macro kept_windows(relation, key_column='training_data_key') -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if key_column == 'training_data_key' -%}
        {%- set tonight = " and held.training_data_key = windows.training_data_key" -%}
    {%- else -%}
        {%- set tonight = " and windows.cutoff_role = 'training' and held." ~ key_column
            ~ " = (select max(" ~ key_column ~ ") from " ~ ref('int_training_state') ~ ")" -%}
    {%- endif -%}
    {%- set found = run_query(
        "select distinct cast(windows.cutoff_at as varchar), windows.past_days"
        ~ " from (select distinct cutoff_at, past_days, " ~ key_column ~ " from " ~ relation
        ~ " where " ~ key_column ~ " is not null) as held"
        ~ " inner join " ~ ref('int_feature_windows') ~ " as windows"
        ~ " on held.cutoff_at = windows.cutoff_at and held.past_days = windows.past_days"
        ~ tonight
        ~ " order by 1, 2"
    ) -%}
    {%- set kept = [] -%}
    {%- for row in found.rows -%}
        {%- do kept.append((row[0], row[1] | int)) -%}
    {%- endfor -%}
    {{ return(kept) }}
{%- endmacro %}

{#- Whether int_feature_windows holds a training window outside `kept` (pairs from kept_windows): false on a
    night that keeps every training window and computes the scoring cutoff's only. True while dbt only
    parses. -#}
{% macro computes_training_windows(kept) -%}
    {%- if not execute -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = run_query(
        "select count(*) from " ~ ref('int_feature_windows')
        ~ " where cutoff_role = 'training' and not (" ~ windows_condition(kept) ~ ")"
    ) -%}
    {{ return(found.rows[0][0] > 0) }}
{%- endmacro %}

{#- A condition true for the rows of the windows in `kept` (pairs from kept_windows); false for none. -#}
{% macro windows_condition(kept) -%}
    {%- for cutoff_at, past_days in kept %}
        (cutoff_at = cast('{{ cutoff_at }}' as timestamp) and past_days = {{ past_days }})
        {%- if not loop.last %} or {% endif %}
    {%- else -%}
        false
    {%- endfor %}
{%- endmacro %}

{#- The `keep_windows` incremental strategy of the per-event and user-level features: delete every row but
    those of the windows kept_windows finds (by the model's `window_key` config, default training_data_key)
    and insert the rows the model computed for the other windows (the old scoring cutoff's, and training
    windows whose cutoffs, events or attributes changed), in one transaction. -#}
{% macro get_incremental_keep_windows_sql(arg_dict) -%}
    {%- set kept = kept_windows(arg_dict['target_relation'], config.get('window_key') or 'training_data_key') -%}
    {#- nothing kept: every row goes, with no window to name -#}
    {{ keep_rows_sql(
        arg_dict,
        windows_condition(kept),
        windows_condition(dropped_windows(arg_dict['target_relation'], kept)) if kept else 'true'
    ) }}
{%- endmacro %}

{#- The windows (cutoff_at, past_days) `relation` holds outside `kept` (pairs from kept_windows), as pairs of
    the same form: the rows a night deletes, usually the last scoring cutoff's only. Named rather than
    negated, the night's delete tests two windows on each row, not every kept one. -#}
{% macro dropped_windows(relation, kept) -%}
    {%- set held = run_query(
        "select distinct cast(cutoff_at as varchar), past_days from " ~ relation
        ~ " where cutoff_at is not null and past_days is not null order by 1, 2"
    ) -%}
    {%- set dropped = [] -%}
    {%- for row in held.rows if (row[0], row[1] | int) not in kept -%}
        {%- do dropped.append((row[0], row[1] | int)) -%}
    {%- endfor -%}
    {{ return(dropped) }}
{%- endmacro %}

{#- The `replace_all` incremental strategy of segment_models: the table becomes the rows the model returned
    (the Python model returns every segment's rows, kept or fit tonight), in one transaction; the rows'
    temporary table, which dbt-duckdb leaves behind for a Python model, is then dropped. -#}
{% macro get_incremental_replace_all_sql(arg_dict) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }};

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }};

    drop table if exists {{ arg_dict['temp_relation'] }}
{%- endmacro %}
