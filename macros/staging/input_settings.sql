{#- The vars that say how the events input is read, as a mapping. base_events records them on its table
    (record_input_settings): a night that read the input otherwise than the nights that staged the older
    days would leave those days read the old way. The later ones are listed only when set, so rows staged before they existed need no
    full refresh. -#}
{% macro base_events_input_settings() -%}
    {%- set settings = {
        'csv_delimiter': var('csv_delimiter', ','),
        'decimal_separator': var('decimal_separator', '.'),
        'event_columns': var('event_columns'),
        'event_time_format': var('event_time_format', none),
        'max_event_value': var('max_event_value'),
        'single_event_name': var('single_event_name', none)
    } -%}
    {%- if keep_duplicate_events() -%}
        {%- do settings.update({'keep_duplicate_events': true}) -%}
    {%- endif -%}
    {%- if var('csv_encoding', 'utf-8') | string | lower not in ('utf-8', 'utf8') -%}
        {%- do settings.update({'csv_encoding': var('csv_encoding')}) -%}
    {%- endif -%}
    {%- if var('events_csv_columns', none) is not none -%}
        {%- do settings.update({'events_csv_columns': var('events_csv_columns')}) -%}
    {%- endif -%}
    {{ return(settings) }}
{%- endmacro %}

{#- A post-hook: keep the settings a table's rows were read with as its comment (JSON), once per table. Every
    row was read alike (a night with other settings stops before writing); a column would repeat the same
    long text on every row, which cost more to write than any other of base_events' columns. -#}
{% macro record_input_settings(relation, settings) -%}
    comment on table {{ relation }} is {{ sql_string(tojson(settings, sort_keys=true)) }}
{%- endmacro %}

{#- The settings record_input_settings kept on a table, as a mapping; none when its comment is empty or not a
    JSON object. -#}
{% macro recorded_input_settings(relation) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        "select comment from duckdb_tables() where database_name = " ~ sql_string(relation.database)
        ~ " and schema_name = " ~ sql_string(relation.schema) ~ " and table_name = " ~ sql_string(relation.identifier)
    ).columns[0].values() -%}
    {%- set text = found[0] if found | length > 0 else none -%}
    {%- if text is none or not (text | trim).startswith('{') -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(fromjson(text)) }}
{%- endmacro %}
