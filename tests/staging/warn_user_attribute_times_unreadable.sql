-- Warns when user attributes hold signup dates or updated_at times that could not be read (a US date such
-- as 3/15/2024 is neither ISO 8601 nor epoch digits). One row per column, with its count and an example.
-- Each such field is also a row of stg_user_attributes_rejected: a signup date is then missing, and a row
-- whose updated_at is unreadable counts as its user's oldest, so a later value may lose to an earlier one.
{{ config(severity='warn') }}

{%- set failing_sql %}
with

attribute_rows as (

    select
        signup_date_raw,
        signup_date,
        updated_at_raw,
        updated_at
    from {{ ref('base_user_attributes') }}
    where user_id is not null

),

times as (

    select
        'signup_date' as column_name,
        signup_date_raw as raw_value,
        signup_date is null as is_unreadable
    from attribute_rows
    where signup_date_raw is not null

    union all

    select
        'updated_at' as column_name,
        updated_at_raw as raw_value,
        updated_at is null as is_unreadable
    from attribute_rows
    where updated_at_raw is not null

),

summary as (

    select
        column_name,
        count(*) as written_rows,
        sum(case when is_unreadable then 1 else 0 end) as unreadable_rows,
        min(case when is_unreadable then raw_value end) as example
    from times
    group by 1

)

select
    column_name,
    written_rows,
    unreadable_rows,
    unreadable_rows || ' of ' || written_rows || ' ' || column_name || ' values in the user attributes could not'
    || ' be read as times (such as ''' || example || '''): '
    || case
        when column_name = 'signup_date' then 'those users have no signup date'
        else 'those rows count as their users'' oldest'
    end
    || '. Write them as ISO 8601 (2024-03-15), or set user_attributes_time_format to their strptime format'
    || ' (''%m/%d/%Y'' for 3/15/2024; a list for several); see stg_user_attributes_rejected.' as message
from summary
where unreadable_rows > 0
{%- endset %}

{{ log_warnings(failing_sql, [ref('base_user_attributes')]) }}
{{ failing_sql }}
