{#- The table materialization on DuckDB, leaner than dbt-duckdb's: a SQL model's table is dropped and
    created again inside one transaction, the way dbt-duckdb itself rebuilds tables with foreign keys. A
    failed or interrupted build rolls back to the previous table, as the usual swap through a temporary
    and a backup table does, but without the swap's two renames, the later drop, and the catalog queries
    for indexes and foreign keys (this project declares neither) that each table paid for: in a small
    build, dbt's work per model costs more than the queries (docs/benchmarks.md).
    A Python model's table is written by the Python side on its own, so it is built under a temporary
    name first and then replaces the old table in the model's transaction. -#}
{% materialization table, adapter="duckdb", supported_languages=['sql', 'python'] %}
    {%- set language = model['language'] -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set grant_config = config.get('grants') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- if language == 'sql' %}
        {%- do adapter.ensure_transaction() %}
        {%- if existing_relation is not none %}
            {%- do adapter.drop_relation(existing_relation) %}
        {%- endif %}
        {% call statement('main', language=language) -%}
            {{- create_table_as(False, target_relation, compiled_code, language) }}
        {%- endcall %}
    {%- else %}
        {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
        {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
        {% call statement('main', language=language) -%}
            {{- create_table_as(False, intermediate_relation, compiled_code, language) }}
        {%- endcall %}
        {%- if existing_relation is not none %}
            {%- do adapter.drop_relation(existing_relation) %}
        {%- endif %}
        {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {%- endif %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=True)) %}
    {%- do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
