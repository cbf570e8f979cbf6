-- Every campaign's per-user send plan, in the user's local time and in UTC, with the rule that chose it.
-- The audience: the target segment's members outside its holdout (or every user), narrowed to the target
-- persona when the campaign names one.
-- The cascade, first rule that gives a time still ahead (at or after the campaign's local time that
-- day) and outside the quiet hours:
--   1. daily_best_hour        the user's best hour that weekday
--   2. am_best_hour / pm_best_hour   the user's best hour of the morning or afternoon (the earlier one)
--   3. app_best_hour          the app's best hour that weekday
--   4. app_best_hour_no_user_data    the app's best hour, for a user with no activity that weekday
--   5. all passed: skipped_all_passed, or sent_instantly (at the campaign time) when the campaign says so
-- A candidate inside the quiet hours is passed over; an instant send inside them is skipped
-- (skipped_quiet_hours). A best hour equal to the campaign's hour sends at the campaign time.
with

campaigns as (

    select
        campaign_id,
        target_segment,
        target_persona,
        send_date,
        send_local_time,
        send_instantly_if_passed,
        quiet_hours_start,
        quiet_hours_end
    from {{ ref('int_campaigns') }}

),

members as (

    -- the segment's holdout members are never contacted (campaign_send_summary counts them)
    select
        segment_name,
        user_id
    from {{ ref('segment_members') }}
    where not is_holdout

),

personas as (

    select
        user_id,
        persona_name,
        cast(persona_id as {{ dbt.type_string() }}) as persona_key
    from {{ ref('user_personas') }}

),

users as (

    select
        user_id,
        timezone
    from {{ ref('int_users') }}

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

user_hours as (

    select * from {{ ref('user_best_send_hours') }}

),

app_hours as (

    select * from {{ ref('app_best_send_hours') }}

),

targeted as (

    select
        campaigns.*,
        members.user_id
    from campaigns
    inner join members on campaigns.target_segment = members.segment_name
    union all
    select
        campaigns.*,
        users.user_id
    from campaigns
    cross join users
    where campaigns.target_segment is null

),

audience as (

    -- narrowed to the target persona (by name or id) when the campaign names one
    select
        targeted.campaign_id,
        targeted.target_segment,
        targeted.send_date,
        targeted.send_local_time,
        targeted.send_instantly_if_passed,
        targeted.quiet_hours_start,
        targeted.quiet_hours_end,
        targeted.user_id
    from targeted
    left join personas on targeted.user_id = personas.user_id
    where
        targeted.target_persona is null
        or targeted.target_persona = personas.persona_name
        or targeted.target_persona = personas.persona_key

),

in_context as (

    select
        audience.*,
        coalesce(users.timezone, 'UTC') as timezone,
        {{ at_time_of_day('audience.send_date', 'audience.send_local_time') }} as campaign_local_at,
        audience.send_instantly_if_passed
        and not {{ is_quiet_time('audience.send_local_time', 'audience.quiet_hours_start',
                                 'audience.quiet_hours_end') }} as can_send_instantly,
        user_hours.user_id is not null as has_weekday_activity,
        user_hours.daily_best_hour,
        user_hours.am_best_hour,
        user_hours.pm_best_hour,
        app_hours.best_hour as app_best_hour
    from audience
    left join users on audience.user_id = users.user_id
    left join user_hours
        on
            audience.user_id = user_hours.user_id
            and {{ iso_weekday('audience.send_date') }} = user_hours.local_weekday
    left join app_hours on {{ iso_weekday('audience.send_date') }} = app_hours.local_weekday

),

candidates as (

    select
        campaign_id,
        user_id,
        1 as priority,
        'daily_best_hour' as send_rule,
        daily_best_hour as send_hour
    from in_context
    where has_weekday_activity
    union all
    select
        campaign_id,
        user_id,
        2 as priority,
        'am_best_hour' as send_rule,
        am_best_hour as send_hour
    from in_context
    where has_weekday_activity
    union all
    select
        campaign_id,
        user_id,
        2 as priority,
        'pm_best_hour' as send_rule,
        pm_best_hour as send_hour
    from in_context
    where has_weekday_activity
    union all
    select
        campaign_id,
        user_id,
        case when has_weekday_activity then 3 else 4 end as priority,
        case when has_weekday_activity then 'app_best_hour' else 'app_best_hour_no_user_data' end as send_rule,
        app_best_hour as send_hour
    from in_context

),

timed as (

    select
        candidates.campaign_id,
        candidates.user_id,
        candidates.priority,
        candidates.send_rule,
        greatest(
            in_context.campaign_local_at,
            {{ dbt.dateadd('hour', 'candidates.send_hour', 'cast(in_context.send_date as timestamp)') }}
        ) as send_local_at,
        in_context.quiet_hours_start,
        in_context.quiet_hours_end
    from candidates
    inner join in_context
        on
            candidates.campaign_id = in_context.campaign_id
            and candidates.user_id = in_context.user_id
    where
        candidates.send_hour is not null
        and candidates.send_hour >= hour(in_context.campaign_local_at)

),

chosen as (

    select
        campaign_id,
        user_id,
        send_rule,
        send_local_at,
        row_number() over (
            partition by campaign_id, user_id order by priority, send_local_at
        ) as choice_rank
    from timed
    where not {{ is_quiet_time(time_of_day_of('send_local_at'), 'quiet_hours_start', 'quiet_hours_end') }}

),

had_candidate_ahead as (

    select distinct
        campaign_id,
        user_id
    from timed

),

final as (

    select
        in_context.campaign_id,
        in_context.user_id,
        in_context.target_segment,
        in_context.timezone,
        in_context.send_date,
        case
            when chosen.user_id is not null then chosen.send_rule
            when in_context.can_send_instantly then 'sent_instantly'
            when in_context.send_instantly_if_passed or had_candidate_ahead.user_id is not null
                then 'skipped_quiet_hours'
            else 'skipped_all_passed'
        end as send_rule,
        case
            when chosen.user_id is not null then chosen.send_local_at
            when in_context.can_send_instantly then in_context.campaign_local_at
        end as send_local_at
    from in_context
    left join chosen
        on
            in_context.campaign_id = chosen.campaign_id
            and in_context.user_id = chosen.user_id
            and chosen.choice_rank = 1
    left join had_candidate_ahead
        on
            in_context.campaign_id = had_candidate_ahead.campaign_id
            and in_context.user_id = had_candidate_ahead.user_id

)

select
    final.campaign_id,
    final.user_id,
    span.as_of_date,
    {{ run_id() }} as run_id,
    final.target_segment,
    final.timezone,
    final.send_date,
    final.send_rule,
    final.send_local_at,
    {{ local_to_utc('final.send_local_at', 'final.timezone') }} as send_utc_at,
    final.send_local_at is null as is_skipped
from final
cross join span
