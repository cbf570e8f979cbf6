-- The model features, one row each, from the feature_catalog() macro (the one definition): what each
-- means, the terms it enters as and what a missing value stands for. The Python fit reads its feature list
-- here, and the report its words.
{%- set features = feature_catalog() %}
with

catalog as (

    {%- for feature in features %}
        select
            {{ loop.index }} as feature_order,
            {{ sql_string(feature.name) }} as feature_name,
            {{ sql_string(feature.scope) }} as feature_scope,
            {{ sql_string(feature.transforms | join(',')) }} as transforms,
            {{ sql_string(feature.fill if feature.fill is string else 'constant') }} as fill_rule,
            cast({{ 'null' if feature.fill is string else feature.fill }} as double) as fill_constant,
            {{ 'true' if feature.lifetime else 'false' }} as is_lifetime,
            {{ sql_string(feature.description) }} as description
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        cast(feature_order as integer) as feature_order,
        cast(feature_name as {{ dbt.type_string() }}) as feature_name,
        cast(feature_scope as {{ dbt.type_string() }}) as feature_scope,
        cast(transforms as {{ dbt.type_string() }}) as transforms,
        cast(fill_rule as {{ dbt.type_string() }}) as fill_rule,
        fill_constant,
        is_lifetime,
        cast(description as {{ dbt.type_string() }}) as description
    from catalog

)

select * from final
