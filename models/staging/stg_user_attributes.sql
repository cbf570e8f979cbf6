{{ config(materialized='table') }}
-- Materialized (unlike the other staging views): int_users and int_user_features both read it, so the
-- attribute rows are parsed, ranked and agreed on once per build.
-- One row per user in the attributes input (with a user id): each attribute the user's rows agree on
-- (see base_user_attribute_choices), null when unknown, unusable or conflicting (those are listed in
-- stg_user_attributes_rejected). Users without a row here have unknown attributes.
{%- set attributes = categorical_attributes() %}

with

attribute_rows as (

    select * from {{ ref('base_user_attributes') }}
    where user_id is not null

),

choices as (

    select * from {{ ref('base_user_attribute_choices') }}
    where distinct_values = 1

),

users as (

    select distinct user_id from attribute_rows

),

final as (

    select
        users.user_id,
        max(case when choices.attribute_name = 'timezone' then choices.attribute_value end) as timezone,
        cast(max(case when choices.attribute_name = 'signup_date' then choices.attribute_value end) as date)
            as signup_date
    {%- for attribute in attributes %},
        max(case when choices.attribute_name = {{ sql_string(attribute) }} then choices.attribute_value end)
            as {{ adapter.quote(attribute) }}
        {%- endfor %}
    from users
    left join choices on users.user_id = choices.user_id
    group by users.user_id

)

select * from final
