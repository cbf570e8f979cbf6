-- One row per campaign: what its target is, how many users it reaches, and how many are planned or
-- skipped by reason (and how many of the target's members are held out), so an empty plan is visible
-- (and says why) instead of being 0 rows and silence.
with

campaigns as (

    select * from {{ ref('int_campaigns') }}

),

plan as (

    select * from {{ ref('campaign_send_plan') }}

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

personas as (

    select
        persona_name,
        cast(persona_id as {{ dbt.type_string() }}) as persona_key
    from {{ ref('persona_profiles') }}

),

holdouts as (

    select
        segment_name,
        count(*) as holdout_users
    from {{ ref('segment_members') }}
    where is_holdout
    group by segment_name

),

-- no app-wide best hour on any weekday: no activity with a time of day was seen (a date-only input)
best_hours as (

    select count(*) as app_best_hours
    from {{ ref('app_best_send_hours') }}

),

counts as (

    select
        campaign_id,
        count(*) as audience_users,
        count(case when not is_skipped then 1 end) as planned_users,
        count(case when send_rule = 'sent_instantly' then 1 end) as sent_instantly_users,
        count(case when send_rule = 'skipped_all_passed' then 1 end) as skipped_all_passed_users,
        count(case when send_rule = 'skipped_quiet_hours' then 1 end) as skipped_quiet_hours_users
    from plan
    group by campaign_id

),

final as (

    select
        campaigns.campaign_id,
        span.as_of_date,
        {{ run_id() }} as run_id,
        campaigns.target_segment,
        campaigns.target_persona,
        campaigns.target_kind,
        campaigns.target_status,
        campaigns.send_date,
        coalesce(counts.audience_users, 0) as audience_users,
        coalesce(counts.planned_users, 0) as planned_users,
        coalesce(counts.sent_instantly_users, 0) as sent_instantly_users,
        coalesce(counts.skipped_all_passed_users, 0) as skipped_all_passed_users,
        coalesce(counts.skipped_quiet_hours_users, 0) as skipped_quiet_hours_users,
        coalesce(holdouts.holdout_users, 0) as holdout_users,
        case
            when campaigns.target_kind = 'unknown_segment'
                then 'no segment is named ''' || campaigns.target_segment || ''''
            when campaigns.target_kind in ('segment', 'segment_and_persona') and campaigns.target_status != 'ok'
                then 'the target segment has status ' || campaigns.target_status || ': it has no members'
            when
                campaigns.target_persona is not null and not exists (
                    select 1 as found from personas
                    where campaigns.target_persona in (personas.persona_name, personas.persona_key)
                )
                then 'no persona is named ''' || campaigns.target_persona || ''' today (see persona_profiles)'
            when coalesce(counts.audience_users, 0) = 0 and coalesce(holdouts.holdout_users, 0) > 0
                then 'every member of the target segment is in its holdout'
            when coalesce(counts.audience_users, 0) = 0 then 'the target has no users today'
            when coalesce(counts.planned_users, 0) = 0 and best_hours.app_best_hours = 0
                then
                    'every user was skipped: no best send hours were learned (no event carries a time of day),'
                    || ' so only send_instantly_if_passed sends, at the campaign time'
            when coalesce(counts.planned_users, 0) = 0 then 'every user was skipped'
        end as empty_reason
    from campaigns
    cross join span
    cross join best_hours
    left join counts on campaigns.campaign_id = counts.campaign_id
    left join holdouts on campaigns.target_segment = holdouts.segment_name

)

select * from final
