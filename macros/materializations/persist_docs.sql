{#- Descriptions written to DuckDB's catalog (persist_docs), as dbt writes them, in one statement per model
    and without asking the database for the table's columns when the model's contract is enforced: dbt
    has then checked that the model's columns are the ones declared, so every documented column exists.
    dbt asks every time (and dbt-duckdb's column comments ask again), which costs two catalog queries and
    their result tables per model, a measurable part of a small build (docs/benchmarks.md). Models
    without an enforced contract are written by dbt's own macro, which checks the columns and warns about
    documented columns that do not exist. -#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) %}
    {%- if not model.get('contract', {}).get('enforced') %}
        {{- return(default__persist_docs(relation, model, for_relation, for_columns)) }}
    {%- endif %}
    {%- set statements = [] %}
    {%- if for_relation and config.persist_relation_docs() and model.description %}
        {%- do statements.append(alter_relation_comment(relation, model.description)) %}
    {%- endif %}
    {%- if for_columns and config.persist_column_docs() and model.columns %}
        {%- do statements.append(alter_column_comment(relation, model.columns)) %}
    {%- endif %}
    {%- if statements %}
        {%- do run_query(statements | join('\n')) %}
    {%- endif %}
{% endmacro %}

{#- dbt-duckdb's column comments, without its own look-up of the table's columns: persist_docs above has
    either the contract's word or dbt's check for them. -#}
{% macro duckdb__alter_column_comment(relation, column_dict) %}
    {%- for column_name in column_dict %}
        {%- set comment = column_dict[column_name]['description'] %}
        {%- set quoted = adapter.quote(column_name) if column_dict[column_name]['quote'] else column_name %}
        comment on column {{ relation }}.{{ quoted }} is {{ duckdb_escape_comment(comment) }};
    {%- endfor %}
{% endmacro %}
