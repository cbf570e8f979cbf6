{#- The `replace_recent_days` incremental strategy of the daily rollups and the staged events: delete the
    target's rows from `recent_days_start(target)` on (and those without a day) and insert the rows the
    model computed for those days (the model selects the same days with the same macro), in one
    transaction. A night re-reads only its newest `late_event_days` days; older days are final until a full
    refresh. Model config: `day_column` (default event_date) and `recent_days_where`, the rows whose
    newest day counts (default: all). -#}
{% macro get_incremental_replace_recent_days_sql(arg_dict) -%}
    {%- set day_column = config.get('day_column') or 'event_date' -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where
        {{ day_column }} is null
        or {{ day_column }} >= ({{ recent_days_start(
            arg_dict['target_relation'], day_column, config.get('recent_days_where')) }});

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- The first day an incremental night recomputes: `late_event_days` days before the newest day the
    relation holds among the rows `where` selects (none: every day). -#}
{% macro recent_days_start(relation, day_column='event_date', where=none) -%}
    select coalesce(
        max({{ day_column }}) - {{ int_var('late_event_days', 0) }},
        cast('1900-01-01' as date)
    )
    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
{%- endmacro %}

{#- recent_days_start's day as a value, queried before the model's query is compiled, so that filters on
    it reach the scans (none while dbt only parses). -#}
{% macro recent_days_first_day(relation, day_column='event_date', where=none) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(run_query(recent_days_start(relation, day_column, where)).columns[0].values()[0]) }}
{%- endmacro %}
