{#- Where each input comes from and which columns it must have.

    input_location(kind): {'table': name or none, 'path': path or none, 'described_as': text for messages}
    for kind 'events' or 'user_attributes'. `*_table` wins over `*_path`; the demo's files are used only
    when the `demo` var is true and nothing else is set. (The sources in _staging__sources.yml render the
    same rule inline, since source configs cannot call macros.)

    has_user_attributes(): true when a user attributes input is configured.

    categorical_attributes(): the `categorical_attributes` var as a validated list of column names ([]
    when null; the demo's list in demo mode). -#}
{% macro input_location(kind) %}
    {%- set table = var(kind ~ '_table', none) -%}
    {%- set path = var(kind ~ '_path', none) -%}
    {%- if path is not none and path | string | trim == '' -%}{%- set path = none -%}{%- endif -%}
    {%- if table is not none and table | string | trim == '' -%}{%- set table = none -%}{%- endif -%}
    {%- if table is none and path is none and var('demo', false) -%}
        {%- set path = var('demo_' ~ kind ~ '_path') -%}
    {%- endif -%}
    {%- if table is not none -%}
        {%- set described = kind ~ "_table '" ~ table ~ "'" -%}
        {%- set path = none -%}
    {%- elif path is not none -%}
        {%- set described = kind ~ "_path '" ~ path ~ "'" -%}
    {%- else -%}
        {%- set described = 'nothing (' ~ kind ~ '_path and ' ~ kind ~ '_table are unset)' -%}
    {%- endif -%}
    {{ return({'table': table, 'path': path, 'described_as': described}) }}
{% endmacro %}

{% macro has_user_attributes() -%}
    {%- set location = input_location('user_attributes') -%}
    {{ return(location.table is not none or location.path is not none) }}
{%- endmacro %}

{% macro categorical_attributes() %}
    {%- set configured = var('categorical_attributes', none) -%}
    {%- if configured is none -%}
        {%- set configured = var('demo_categorical_attributes', []) if var('demo', false) else [] -%}
    {%- endif -%}
    {%- if configured is string or configured is mapping or configured is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var 'categorical_attributes' must be a list of attribute column names, got " ~ configured | string) }}
    {%- endif -%}
    {%- set reserved = ['user_id', 'timezone', 'signup_date', 'updated_at'] -%}
    {%- for name in configured -%}
        {%- if name is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', name) -%}
            {{ exceptions.raise_compiler_error(
                "var 'categorical_attributes': '" ~ name | string ~ "' is not a column name (letters, digits and "
                ~ "underscores, not starting with a digit)") }}
        {%- endif -%}
        {%- if name | lower in reserved -%}
            {{ exceptions.raise_compiler_error(
                "var 'categorical_attributes': '" ~ name ~ "' is a built-in attribute (" ~ reserved | join(', ')
                ~ "), not a categorical one") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(configured | list) }}
{% endmacro %}

{#- True when the input is a CSV file (by extension: .csv, .tsv or .txt, optionally .gz): read as text,
    with unreadable lines collected by the base_*_input Python models. -#}
{% macro input_is_csv(kind) -%}
    {%- set location = input_location(kind) -%}
    {%- set path = (location.path or '') | string | lower | replace('.gz', '') -%}
    {{ return(location.table is none and path.endswith(('.csv', '.tsv', '.txt'))) }}
{%- endmacro %}

{#- True when the input is a JSON file (by extension: .json, .jsonl or .ndjson, optionally .gz), which DuckDB
    reads (the source's external_location) and Spark does not. -#}
{% macro input_is_json(kind) -%}
    {%- set location = input_location(kind) -%}
    {%- set path = (location.path or '') | string | lower | replace('.gz', '') -%}
    {{ return(location.table is none and path.endswith(('.json', '.jsonl', '.ndjson'))) }}
{%- endmacro %}

{#- The relation staging reads an input from (not for a CSV file: base_*_input reads that).
    On DuckDB the source itself: its external_location points at the table or the Parquet or JSON path. Other
    engines ignore external_location, so this returns the `*_table` var, or the Parquet path in Spark's
    `parquet.`path`` form (a file, a directory or a glob); the source is still referenced, for the lineage. -#}
{% macro input_relation(kind) -%}
    {{ return(adapter.dispatch('input_relation', 'predseg')(kind)) }}
{%- endmacro %}

{% macro duckdb__input_relation(kind) -%}
    {{ return(source('raw', kind)) }}
{%- endmacro %}

{% macro default__input_relation(kind) -%}
    {%- do source('raw', kind) -%}
    {%- set location = input_location(kind) -%}
    {%- if location.table is not none -%}
        {{ return(location.table) }}
    {%- endif -%}
    {%- if location.path is not none -%}
        {{ exceptions.raise_compiler_error(
            "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " is a path: on adapter "
            ~ adapter.type() ~ " inputs are read from tables. Load it into a table and set var '" ~ kind
            ~ "_table' instead.") }}
    {%- endif -%}
    {{ return(source('raw', kind)) }}
{%- endmacro %}

{#- Spark reads Parquet paths itself; a CSV file must be loaded into a table first (its reader, the
    base_*_input Python models, runs only where dbt runs Python models). -#}
{% macro spark__input_relation(kind) -%}
    {%- set location = input_location(kind) -%}
    {%- if location.table is none and location.path is not none -%}
        {%- if input_is_csv(kind) -%}
            {{ exceptions.raise_compiler_error(
                "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " is a CSV file: on Spark, "
                ~ "paths are read as Parquet. Load the CSV into a table (e.g. spark.read.csv(path, header=True)"
                ~ ".write.saveAsTable('raw." ~ kind ~ "')) and set var '" ~ kind ~ "_table' to it.") }}
        {%- elif input_is_json(kind) -%}
            {{ exceptions.raise_compiler_error(
                "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " is a JSON file: on Spark, "
                ~ "paths are read as Parquet. Load the JSON into a table (e.g. spark.read.json(path)"
                ~ ".write.saveAsTable('raw." ~ kind ~ "')) and set var '" ~ kind ~ "_table' to it.") }}
        {%- endif -%}
        {%- do source('raw', kind) -%}
        {{ return('parquet.`' ~ location.path | replace('`', '``') ~ '`') }}
    {%- endif -%}
    {{ return(default__input_relation(kind)) }}
{%- endmacro %}

{#- The columns staging reads from an input ('events' or 'user_attributes'), as {'required', 'optional',
    'mapping_var', 'read'}: the arguments of input_columns, and `read`, the names staging takes from the
    input (an event name given by single_event_name is not read, though event_columns may still map it). -#}
{% macro input_column_names(kind) %}
    {%- if kind == 'events' -%}
        {#- an input of one kind of event needs no event name column (single_event_name names the event) -#}
        {%- set single_event = single_event_name() -%}
        {%- set names = {
            'required': ['user_id', 'event_time'] if single_event else ['user_id', 'event_name', 'event_time'],
            'optional': ['value', 'event_name'] if single_event else ['value'],
            'mapping_var': 'event_columns'} -%}
        {%- do names.update({'read': names.required + ['value']}) -%}
    {%- else -%}
        {%- set names = {
            'required': ['user_id'] + categorical_attributes(),
            'optional': ['timezone', 'signup_date', 'updated_at'],
            'mapping_var': 'user_attribute_columns'} -%}
        {%- do names.update({'read': names.required + names.optional}) -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}

{#- The inputs read from a glob of Parquet files (on DuckDB), each as {'kind', 'path', 'described_as',
    'columns_sql'}: columns_sql is a SQL list of the input's columns that staging reads
    (input_column_names), lowercased, as named in the files (after event_columns or
    user_attribute_columns). -#}
{% macro parquet_inputs_to_check() %}
    {%- set inputs = [] -%}
    {%- if target.type != 'duckdb' -%}{{ return(inputs) }}{%- endif -%}
    {%- for kind in ['events', 'user_attributes'] -%}
        {%- set location = input_location(kind) -%}
        {%- set path = (location.path or '') | string -%}
        {%- if location.table is none and path | lower | trim | length > 0 and (path | lower).endswith('.parquet') -%}
            {%- set names = input_column_names(kind) -%}
            {%- set mapping = var(names.mapping_var, {}) or {} -%}
            {%- set columns = [] -%}
            {%- for name in names.read -%}
                {%- set mapped = mapping.get(name) if mapping is mapping else none -%}
                {%- do columns.append(sql_string((mapped or name) | string | lower)) -%}
            {%- endfor -%}
            {%- do inputs.append({'kind': kind, 'path': path, 'described_as': location.described_as,
                'columns_sql': '[' ~ columns | join(', ') ~ ']'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(inputs) }}
{% endmacro %}

{#- The keep_duplicate_events var, checked: true or false (identical input rows each an event, or one). -#}
{% macro keep_duplicate_events() -%}
    {%- set keep = var('keep_duplicate_events', false) -%}
    {%- if keep is not sameas true and keep is not sameas false -%}
        {{ exceptions.raise_compiler_error(
            "var keep_duplicate_events must be true or false (got " ~ keep | string ~ ")") }}
    {%- endif -%}
    {{ return(keep) }}
{%- endmacro %}
