{#- The table materialization on DuckDB, leaner than dbt-duckdb's: a SQL model's table is dropped and
    created again inside one transaction, the way dbt-duckdb itself rebuilds tables with foreign keys. A
    failed or interrupted build rolls back to the previous table, as the usual swap through a temporary
    and a backup table does, but without the swap's two renames, the later drop, and the catalog queries
    for indexes and foreign keys (this project declares neither) that each table paid for: in a small
    build, dbt's work per model costs more than the queries (docs/benchmarks.md). The drop is written
    into the model's own statement rather than run through dbt's drop macro, which renders a macro
    context of its own for one line of SQL.
    A Python model's table is written by the Python side on its own, so it is built under a temporary
    name first and then replaces the old table in the model's transaction, in one statement too. -#}
{% materialization table, adapter="duckdb", supported_languages=['sql', 'python'] %}
    {%- set language = model['language'] -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set grant_config = config.get('grants') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- if language == 'sql' %}
        {%- do adapter.ensure_transaction() %}
        {% call statement('main', language=language) -%}
            {{- drop_existing_relation(existing_relation) }}
            {{- create_table_as(False, target_relation, compiled_code, language) }}
        {%- endcall %}
    {%- else %}
        {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
        {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
        {% call statement('main', language=language) -%}
            {{- create_table_as(False, intermediate_relation, compiled_code, language) }}
        {%- endcall %}
        {% call statement('replace') -%}
            {{- drop_existing_relation(existing_relation) }}
            alter table {{ intermediate_relation }} rename to {{ adapter.quote_as_configured(target_relation.identifier, 'identifier') }}
        {%- endcall %}
        {%- do adapter.cache_renamed(intermediate_relation, target_relation) %}
    {%- endif %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=True)) %}
    {%- do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- The SQL that drops a model's existing relation (table or view) ahead of the statement that builds it
    again, and the relation dropped from dbt's cache of relations, as dbt's drop_relation does. -#}
{% macro drop_existing_relation(relation) %}
    {%- if relation is not none %}
        {%- do adapter.cache_dropped(relation) %}
        drop {{ relation.type }} if exists {{ relation }} cascade;
    {%- endif %}
{% endmacro %}
