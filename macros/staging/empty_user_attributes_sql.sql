{#- A select of no rows with the columns a user attributes source has: stands in for the source when none
    is configured, so the attribute models keep their columns. -#}
{% macro empty_user_attributes_sql() %}
    select
        {%- for attribute in var('categorical_attributes') %}
        cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(attribute) }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as user_id,
        cast(null as {{ dbt.type_string() }}) as timezone,
        cast(null as date) as signup_date
    where false
{% endmacro %}
