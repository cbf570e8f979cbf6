-- One row per user seen before the scoring cutoff: when they were first and last seen, and their time
-- zone (UTC when unknown). The user list for campaigns to everyone and the time zone marts show.
with

events as (

    select
        user_id,
        event_at
    from {{ ref('stg_events') }}

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
        events.user_id,
        min(events.event_at) as first_event_at,
        max(events.event_at) as last_event_at
    from events
    inner join span on events.event_at < span.scoring_cutoff_at
    group by events.user_id

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
