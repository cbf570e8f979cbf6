-- Warns when user attributes name time zones the engine does not know (neither an IANA name, in any case,
-- nor a UTC offset in whole hours): those users' best send hours are learned and planned in UTC. Counts them
-- and names up to three of the names found. Each such field is also a row of stg_user_attributes_rejected.
{{ config(severity='warn') }}

{%- set failing_sql %}
with

timezones as (

    select
        raw_value,
        reject_reason
    from {{ ref('base_user_attribute_fields') }}
    where attribute_name = 'timezone' and raw_value is not null

),

unknown_names as (

    select
        raw_value,
        count(*) as name_rows,
        row_number() over (order by count(*) desc, raw_value) as name_rank
    from timezones
    where reject_reason = 'unknown_timezone'
    group by raw_value

),

summary as (

    select
        (select count(*) from timezones) as timezone_rows,
        coalesce(sum(name_rows), 0) as unknown_rows,
        {{ text_agg(
            "case when name_rank <= 3 then '''' || raw_value || '''' end", "', '", ['name_rank']
        ) }} as unknown_examples
    from unknown_names

)

select
    timezone_rows,
    unknown_rows,
    unknown_rows || ' of ' || timezone_rows || ' time zones in the user attributes are unknown (such as '
    || unknown_examples || '): those users'' best send hours are in UTC. Write IANA names (Europe/Istanbul)'
    || ' or UTC offsets in whole hours (+03:00); see stg_user_attributes_rejected.' as message
from summary
where unknown_rows > 0
{%- endset %}

{{ log_warnings(failing_sql, [ref('base_user_attribute_fields')]) }}
{{ failing_sql }}
