{#- Checks an input's columns before anything reads it, and maps them to ours.

    Returns {our name: {'column': the input's column name, 'type': its database type or none}} for every
    column of `required` and `optional` (optional ones absent from the input map to column none).
    `relation` is what staging reads: the source, or for a CSV file the base_*_input model that read it
    (whose own columns input_line, unreadable_reason and raw_line are not the input's).
    `mapping_var` names a var mapping our names to the input's (for inputs named differently).

    Fails with one message naming the input, the missing columns, the columns the input has, and the var
    to set, when: nothing is configured, a path matches no file, or a required column is missing.
    Column names match case-insensitively. At parse time (no database yet), and for the `lint` target
    (which lints the SQL without any input), it returns the names unchecked, typed as text. -#}
{% macro input_columns(kind, relation, required, optional, mapping_var) %}
    {%- set location = input_location(kind) -%}
    {%- set mapping = var(mapping_var, {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var '" ~ mapping_var ~ "' must map our column names to the input's, e.g. {user_id: uid}, got "
            ~ mapping | string) }}
    {%- endif -%}
    {%- for key in mapping.keys() | list | sort -%}
        {%- if key not in required and key not in optional -%}
            {{ exceptions.raise_compiler_error(
                "var '" ~ mapping_var ~ "': unknown column '" ~ key ~ "'; it maps these: "
                ~ (required + optional) | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set wanted = {} -%}
    {%- for name in required + optional -%}
        {%- do wanted.update({name: (mapping.get(name) or name) | string}) -%}
    {%- endfor -%}
    {%- set result = {} -%}
    {%- if not execute or target.name == 'lint' -%}
        {%- for name in required + optional -%}
            {%- do result.update({name: {'column': wanted[name], 'type': none}}) -%}
        {%- endfor -%}
        {{ return(result) }}
    {%- endif -%}

    {%- if location.table is none and location.path is none -%}
        {{ exceptions.raise_compiler_error(
            "No " ~ kind | replace('_', ' ') ~ " input is configured: set var '" ~ kind ~ "_path' (a Parquet, CSV or "
            ~ "JSON file, or a glob) or '" ~ kind ~ "_table' (a table or view in the database), e.g. "
            ~ "--vars '{" ~ kind ~ "_path: /data/" ~ kind ~ ".parquet}'. The demo's simulated data is read only "
            ~ "with --vars '{demo: true}' (what `make demo` runs).") }}
    {%- endif -%}
    {%- if location.path is not none -%}
        {%- do check_input_path(kind) -%}
    {%- endif -%}

    {%- set described = run_query('describe select * from ' ~ relation) -%}
    {%- if described.rows | length == 1 and described.rows[0][0] == 'csv_input_error' -%}
        {{ exceptions.raise_compiler_error(
            "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " cannot be read: "
            ~ run_query('select csv_input_error from ' ~ relation).columns[0].values()[0] ~ ".") }}
    {%- endif -%}
    {%- set present = {} -%}
    {%- set present_names = [] -%}
    {%- for row in described.rows if row[0] not in ['input_line', 'unreadable_reason', 'raw_line'] -%}
        {%- do present.update({row[0] | lower: {'column': row[0], 'type': row[1]}}) -%}
        {%- do present_names.append(row[0]) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for name in required + optional -%}
        {%- set found = present.get(wanted[name] | lower) -%}
        {%- if found is none and name in required -%}
            {%- do missing.append(name ~ (" (mapped to '" ~ wanted[name] ~ "')" if wanted[name] != name else "")) -%}
        {%- endif -%}
        {%- do result.update({name: found if found is not none else {'column': none, 'type': none}}) -%}
    {%- endfor -%}
    {#- a file read as one column whose name holds a separator: the fields are split by something else -#}
    {%- if missing and input_is_csv(kind) and present_names | length == 1
        and modules.re.search('[;|\t ]', present_names[0]) -%}
        {%- set delimiter = '\t' if (location.path | lower | replace('.gz', '')).endswith('.tsv')
            else var('csv_delimiter', ',') -%}
        {%- set found = modules.re.search('[;|\t]', present_names[0]) -%}
        {{ exceptions.raise_compiler_error(
            "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " reads as one column, '"
            ~ present_names[0] ~ "': its fields are not separated by "
            ~ ("a tab" if delimiter == '\t' else "'" ~ delimiter ~ "'") ~ " (var 'csv_delimiter'). " ~ ("Set var 'csv_delimiter' to the file's separator, e.g. --vars '{csv_delimiter: \""
            ~ found.group(0) | replace('\t', '\\t') ~ "\"}'" if found else
            "Fields lined up with runs of spaces or tabs are split with --vars '{csv_delimiter: whitespace}'")
            ~ ". A file without a header row names its columns, in order, with var '" ~ kind ~ "_csv_columns', e.g."
            ~ " --vars '{" ~ kind ~ "_csv_columns: [" ~ required | join(', ') ~ "]}' (other names are mapped with var '"
            ~ mapping_var ~ "').") }}
    {%- endif -%}
    {%- if missing -%}
        {%- set no_event_name = kind == 'events' and 'event_name' in required
            and present.get(wanted['event_name'] | lower) is none -%}
        {{ exceptions.raise_compiler_error(
            "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " lacks the required column(s) "
            ~ missing | join(', ') ~ ". Its columns are: " ~ present_names | join(', ')
            ~ ". Rename them in the input, or map them with var '" ~ mapping_var ~ "', e.g. --vars '{"
            ~ mapping_var ~ ": {" ~ required[0] ~ ": " ~ (present_names[0] if present_names else 'uid') ~ "}}'"
            ~ (". An input of one kind of event without a column naming it (an orders file: every row a"
               ~ " purchase) names the event with var 'single_event_name' instead, e.g. --vars"
               ~ " '{single_event_name: purchase}'" if no_event_name else "")
            ~ (". (If the first data row shows up as column names, the file has no header row: name its columns,"
               ~ " in order, with var '" ~ kind ~ "_csv_columns'.)" if location.path is not none else "") ~ "") }}
    {%- endif -%}
    {{ return(result) }}
{% endmacro %}

{#- Fails with a clear message when an input's path cannot be read: on DuckDB when it matches no file; on
    other engines when the engine does not read paths of that kind (input_relation says which). -#}
{% macro check_input_path(kind) -%}
    {{ return(adapter.dispatch('check_input_path', 'predseg')(kind)) }}
{%- endmacro %}

{% macro default__check_input_path(kind) -%}
    {%- do input_relation(kind) -%}
{%- endmacro %}

{% macro duckdb__check_input_path(kind) -%}
    {%- set location = input_location(kind) -%}
    {%- set found = run_query(
        "select count(*) from glob('" ~ location.path | replace("'", "''") ~ "')").columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The " ~ kind | replace('_', ' ') ~ " input " ~ location.described_as ~ " matches no file. Set var '"
            ~ kind ~ "_path' to an existing Parquet, CSV or JSON file (or glob)"
            ~ (", or leave it unset for no user attributes" if kind == 'user_attributes' else "") ~ ".") }}
    {%- endif -%}
{%- endmacro %}
