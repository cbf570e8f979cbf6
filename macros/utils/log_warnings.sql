{#- Prints each row's `message` of `query_sql` as a WARNING line in dbt's output, so a warn-severity test
    says what it found (with the counts) instead of only "Got 1 result". Runs only when the test executes
    and every relation in `relations` exists (so `dbt compile` or `dbt docs generate` before a build does
    not fail). Use it in a singular test: `{{ log_warnings(failing_sql, [ref('x')]) }}{{ failing_sql }}`. -#}
{% macro log_warnings(query_sql, relations) %}
    {%- if execute and flags.WHICH in ('test', 'build') -%}
        {%- for relation in relations -%}
            {%- if load_relation(relation) is none -%}{{ return('') }}{%- endif -%}
        {%- endfor -%}
        {%- for row in run_query(query_sql).rows -%}
            {{ log('WARNING: ' ~ row['message'], info=True) }}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
