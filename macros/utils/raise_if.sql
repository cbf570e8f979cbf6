{#- A SQL expression that fails the query with `message_sql` (a SQL text expression) when `condition_sql`
    is true, and is null otherwise. Use it in a `where ... is null` so the engine cannot prune it. -#}
{% macro raise_if(condition_sql, message_sql) -%}
    {{ return(adapter.dispatch('raise_if', 'predseg')(condition_sql, message_sql)) }}
{%- endmacro %}

{% macro default__raise_if(condition_sql, message_sql) -%}
    {{ exceptions.raise_compiler_error("raise_if is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__raise_if(condition_sql, message_sql) -%}
    case when {{ condition_sql }} then error({{ message_sql }}) end
{%- endmacro %}

{% macro spark__raise_if(condition_sql, message_sql) -%}
    case when {{ condition_sql }} then raise_error({{ message_sql }}) end
{%- endmacro %}
