{#- The view materialization on DuckDB: the old view (or table) is dropped and the view created inside one
    transaction, like this project's tables (see table.sql), instead of dbt's swap through a temporary and a
    backup view, the drop written into the view's own statement (see table.sql). A failed build rolls back
    to the previous view. -#}
{% materialization view, adapter="duckdb" %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set grant_config = config.get('grants') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {%- do adapter.ensure_transaction() %}
    {% call statement('main') -%}
        {{- drop_existing_relation(existing_relation) }}
        {{ get_create_view_as_sql(target_relation, sql) }}
    {%- endcall %}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=True)) %}
    {%- do persist_docs(target_relation, model) %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
