{#- The segments whose rows `relation` already holds under tonight's fit_key (int_training_state): every row
    of the segment carries that key, so tonight would compute the same rows again (with refit_every_days > 1,
    a night between two refit days). A sorted list of names, queried before the model's query is compiled
    (none while dbt only parses), so that the model and the keep_segments strategy read the same list. -#}
{% macro kept_segments(relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = run_query(
        "select held.segment_name"
        ~ " from (select segment_name, min(fit_key) as fit_key, count(distinct fit_key) as keys,"
        ~ " count(*) - count(fit_key) as unkeyed_rows from " ~ relation ~ " group by 1) as held"
        ~ " inner join " ~ ref('int_training_state') ~ " as state"
        ~ " on held.segment_name = state.segment_name and held.fit_key = state.fit_key"
        ~ " where held.keys = 1 and held.unkeyed_rows = 0"
        ~ " order by 1"
    ) -%}
    {{ return(found.columns[0].values() | list) }}
{%- endmacro %}

{#- A condition true for the rows of the segments in `kept` (names from kept_segments); false for none. -#}
{% macro segments_condition(kept, column='segment_name') -%}
    {%- if kept -%}
        {{ column }} in ({% for name in kept %}{{ sql_string(name) | trim }}{% if not loop.last %}, {% endif %}{% endfor %})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#- The `keep_segments` incremental strategy of the training side (eligibility, labels, training rows,
    baselines): delete every row but the kept segments' and insert the rows the model computed for the
    others, in one transaction. A model's `kept_rows_where` config (a SQL condition) keeps only those rows
    of a kept segment: int_segment_eligibility keeps its training rows and computes its scoring rows every
    night. -#}
{% macro get_incremental_keep_segments_sql(arg_dict) -%}
    {%- set kept_condition = segments_condition(kept_segments(arg_dict['target_relation'])) %}
    {%- set kept_rows_where = config.get('kept_rows_where') %}
    {%- if kept_rows_where %}
        {%- set kept_condition = '(' ~ kept_condition ~ ') and (' ~ kept_rows_where ~ ')' %}
    {%- endif %}
    {{ keep_rows_sql(arg_dict, kept_condition) }}
{%- endmacro %}
