-- Warns when almost no user has events on two different days although the data spans weeks: nothing then
-- tells who comes back, and segments find no positives to learn from. The usual cause is a user id that
-- names an order, a session or a device rather than a person (a marketplace export's order-level customer
-- id, say), and the message says which var maps the person's id.
{{ config(severity='warn') }}

{%- set failing_sql %}
with

users as (

    select
        count(*) as users,
        count(
            case when cast(first_event_at as date) != cast(last_event_at as date) then 1 end
        ) as returning_users
    from {{ ref('int_users') }}

),

span as (

    select
        data_start_date,
        cast(scoring_cutoff_at as date) as cutoff_date
    from {{ ref('int_data_span') }}

),

summary as (

    select
        users.users,
        users.returning_users,
        {{ dbt.datediff('span.data_start_date', 'span.cutoff_date', 'day') }} as span_days
    from users
    cross join span

)

select
    users,
    returning_users,
    'only ' || returning_users || ' of ' || users || ' users seen before the scoring cutoff have events on'
    || ' more than one day, over ' || span_days || ' days of data: no segment can learn who comes back. If'
    || ' user_id names an order, a session or a device rather than a person (the order-level customer id of'
    || ' a marketplace export, say), map the id of the person in the event_columns var.' as message
from summary
where
    users >= 100
    and span_days >= 28
    and returning_users < 0.01 * users
{%- endset %}

{{ log_warnings(failing_sql, [ref('int_users'), ref('int_data_span')]) }}
{{ failing_sql }}
