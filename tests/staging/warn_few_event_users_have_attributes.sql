-- Warns when user attributes are configured but fewer than `min_attribute_match_share` of the users in
-- the events have an attributes row: usually ids that do not match (another id, or a format the
-- normalisation does not cover). Those users lose their time zone and attribute features. The users in
-- the events are those seen before the scoring cutoff (int_users: one row each, from the daily rollup,
-- rather than every event of the history made distinct again).
{{ config(severity='warn') }}

{%- set failing_sql %}
with

event_users as (

    select user_id from {{ ref('int_users') }}

),

attribute_users as (

    select user_id from {{ ref('stg_user_attributes') }}

),

matched as (

    select
        count(*) as event_users,
        count(attribute_users.user_id) as matched_users,
        min(case when attribute_users.user_id is null then event_users.user_id end) as unmatched_example
    from event_users
    left join attribute_users on event_users.user_id = attribute_users.user_id

),

attribute_side as (

    select
        count(*) as attribute_users,
        min(user_id) as attribute_example
    from attribute_users

)

select
    matched.event_users,
    matched.matched_users,
    attribute_side.attribute_users,
    'only ' || matched.matched_users || ' of ' || matched.event_users || ' users in the events have user '
    || 'attributes (' || attribute_side.attribute_users || ' users in the attributes input). Do the ids '
    || 'match? An events id: ''' || coalesce(matched.unmatched_example, '') || ''', an attributes id: '''
    || coalesce(attribute_side.attribute_example, '') || '''.' as message
from matched
cross join attribute_side
where
    {{ 'true' if has_user_attributes() else 'false' }}
    and matched.matched_users < {{ var('min_attribute_match_share') }} * matched.event_users
{%- endset %}

{{ log_warnings(failing_sql, [ref('int_users'), ref('stg_user_attributes')]) }}
{{ failing_sql }}
