-- One row per user seen before the scoring cutoff: when they were first and last seen, and their time
-- zone (UTC when unknown). The user list for campaigns to everyone and the time zone marts show.
with

event_days as (

    select
        user_id,
        event_date,
        first_event_at,
        last_event_at
    from {{ ref('int_user_event_days') }}

),

attributes as (

    select
        user_id,
        timezone
    from {{ ref('stg_user_attributes') }}

),

span as (

    select scoring_cutoff_at from {{ ref('int_data_span') }}

),

seen as (

    select
        event_days.user_id,
        min(event_days.first_event_at) as first_event_at,
        max(event_days.last_event_at) as last_event_at
    from event_days
    -- the cutoff is a midnight: a day lies wholly before it or not at all
    inner join span on event_days.event_date < cast(span.scoring_cutoff_at as date)
    group by event_days.user_id

),

final as (

    select
        seen.user_id,
        seen.first_event_at,
        seen.last_event_at,
        coalesce(attributes.timezone, 'UTC') as timezone,
        attributes.timezone is not null as has_known_timezone
    from seen
    left join attributes on seen.user_id = attributes.user_id

)

select * from final
