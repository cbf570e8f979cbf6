-- The user attributes input long: one row per input row (with a user id) and attribute, with the usable
-- value as text, or null and the reason it cannot be used. A bad field never costs the rest of its row.
{%- set attributes = categorical_attributes() %}

with

attribute_rows as (

    select * from {{ ref('base_user_attributes') }}
    where user_id is not null

),

known_timezones as (

    select name as timezone from {{ known_timezone_names() }}

),

fields as (

    select
        attribute_rows.user_id,
        attribute_rows.updated_at,
        'timezone' as attribute_name,
        attribute_rows.timezone as raw_value,
        known_timezones.timezone as attribute_value,
        case
            when attribute_rows.timezone is not null and known_timezones.timezone is null then 'unknown_timezone'
        end as reject_reason
    from attribute_rows
    left join known_timezones on attribute_rows.timezone = known_timezones.timezone

    union all

    select
        user_id,
        updated_at,
        'signup_date' as attribute_name,
        signup_date_raw as raw_value,
        cast(signup_date as {{ dbt.type_string() }}) as attribute_value,
        case when signup_date_raw is not null and signup_date is null then 'unparseable_signup_date' end
            as reject_reason
    from attribute_rows

    {%- for attribute in attributes %}

    union all

    select
        user_id,
        updated_at,
        {{ sql_string(attribute) }} as attribute_name,
        {{ adapter.quote('attribute__' ~ attribute) }} as raw_value,
        {{ adapter.quote('attribute__' ~ attribute) }} as attribute_value,
        cast(null as {{ dbt.type_string() }}) as reject_reason
    from attribute_rows
    {%- endfor %}

)

select * from fields
