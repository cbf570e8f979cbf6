-- Warns when a glob of Parquet files (events or user attributes) holds files without a column that other
-- files of it have, among the columns staging reads: the files are read by column name, so such a file's
-- rows read that column as missing (an event without its user, time or name is rejected, one without its
-- value is kept without an amount; an attribute is unknown). Daily exports whose later days gained or lost
-- a column look like this. Only the files' footers are read (parquet_metadata), not their rows; a file
-- without rows has nothing to lose and is not named.
{{ config(severity='warn') }}
{%- do source('raw', 'events') %}
{%- do source('raw', 'user_attributes') %}

{%- set failing_sql = input_files_lacking_columns() %}

{{ log_warnings(failing_sql, []) }}
{{ failing_sql }}
