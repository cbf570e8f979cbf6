-- The user attributes input long: one row per input row (with a user id) and attribute, with the usable
-- value as text, or null and the reason it cannot be used. A bad field never costs the rest of its row.
{%- set attributes = categorical_attributes() %}
{#- 'UTC+3', '+03:00', 'GMT-0500': sign (group 2), hours (3), minutes (5) -#}
{%- set offset_pattern = '^(UTC|GMT|Z)? *([+-])([0-9]{1,2})(:?([0-9]{2}))?$' %}

with

attribute_rows as (

    select * from {{ ref('base_user_attributes') }}
    where user_id is not null

),

-- one spelling per name whatever its case ('europe/istanbul' is Europe/Istanbul)
known_timezones as (

    select
        lower(name) as timezone_key,
        min(name) as timezone
    from {{ known_timezone_names() }}
    group by lower(name)

),

-- a fixed UTC offset in whole hours ('+03:00', 'UTC+3', 'GMT-0500') as the Etc/GMT zone that has it (whose
-- sign is the other way round: Etc/GMT-3 is three hours ahead of UTC); a name as it is. Other offsets
-- ('+05:30') have no such zone and stay unknown, since a place's zone may also shift for daylight saving.
offsets as (

    select
        user_id,
        updated_at,
        timezone,
        regexp_extract(upper(timezone), '{{ offset_pattern }}', 2) as offset_sign,
        regexp_extract(upper(timezone), '{{ offset_pattern }}', 3) as offset_hours,
        regexp_extract(upper(timezone), '{{ offset_pattern }}', 5) as offset_minutes
    from attribute_rows

),

attribute_timezones as (

    select
        user_id,
        updated_at,
        timezone,
        case
            when offset_sign = '' or offset_minutes not in ('', '00') then timezone
            when cast(offset_hours as integer) = 0 then 'Etc/GMT'
            else
                'Etc/GMT' || case when offset_sign = '+' then '-' else '+' end
                || cast(cast(offset_hours as integer) as {{ dbt.type_string() }})
        end as timezone_key
    from offsets

),

fields as (

    select
        attribute_timezones.user_id,
        attribute_timezones.updated_at,
        'timezone' as attribute_name,
        attribute_timezones.timezone as raw_value,
        known_timezones.timezone as attribute_value,
        case
            when attribute_timezones.timezone is not null and known_timezones.timezone is null
                then 'unknown_timezone'
        end as reject_reason
    from attribute_timezones
    left join known_timezones on lower(attribute_timezones.timezone_key) = known_timezones.timezone_key

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
