-- Every user attributes row (exact duplicates once), typed and trimmed, with the reason it cannot be used
-- (null when it can). Without a configured source this is empty, with the same columns.
with

source as (

    {% if has_user_attributes() -%}
        select * from {{ source('raw', 'user_attributes') }}
    {%- else -%}
        {{ empty_user_attributes_sql() }}
    {%- endif %}

),

typed as (

    select distinct
        {%- for attribute in var('categorical_attributes') %}
            nullif(trim(cast({{ adapter.quote(attribute) }} as {{ dbt.type_string() }})), '')
                as {{ adapter.quote(attribute) }},
        {%- endfor %}
        nullif(trim(cast(user_id as {{ dbt.type_string() }})), '') as user_id,
        nullif(trim(cast(timezone as {{ dbt.type_string() }})), '') as timezone,
        try_cast(signup_date as date) as signup_date,
        cast(signup_date as {{ dbt.type_string() }}) as signup_date_raw

    from source

),

known_timezones as (

    select name as timezone from pg_timezone_names()

),

classified as (

    select
        typed.*,
        case
            when typed.user_id is null then 'missing_user_id'
            when count(*) over (partition by typed.user_id) > 1 then 'conflicting_rows_for_user'
            when typed.timezone is not null and known_timezones.timezone is null then 'unknown_timezone'
            when typed.signup_date_raw is not null and typed.signup_date is null then 'unparseable_signup_date'
        end as reject_reason

    from typed
    left join known_timezones on typed.timezone = known_timezones.timezone

)

select * from classified
