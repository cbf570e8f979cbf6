-- Every user's behaviour profile today (at the scoring cutoff): recency, frequency and monetary value
-- (RFM) over the persona window (persona_past_days), tenure, breadth (kinds of events) and a few
-- engagement rates. Read from the feature layer (int_user_behaviour, int_user_features), not recounted.
with

behaviour as (

    select * from {{ ref('int_user_behaviour') }}
    where cutoff_role = 'scoring'

),

user_features as (

    select
        cutoff_at,
        past_days,
        user_id,
        active_days
    from {{ ref('int_user_features') }}

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

final as (

    select
        behaviour.user_id,
        span.as_of_date,
        {{ run_id() }} as run_id,
        behaviour.past_days,
        cast(behaviour.recency_days as double) as recency_days,
        behaviour.frequency,
        behaviour.monetary,
        behaviour.event_types,
        cast(behaviour.tenure_days as double) as tenure_days,
        cast(behaviour.events_per_day as double) as events_per_day,
        behaviour.value_per_event,
        coalesce(user_features.active_days, 0) as active_days,
        cast(coalesce(user_features.active_days, 0) as double) / behaviour.past_days as active_day_share,
        cast(behaviour.frequency as double) / nullif(user_features.active_days, 0) as events_per_active_day
    from behaviour
    cross join span
    left join user_features
        on
            behaviour.cutoff_at = user_features.cutoff_at
            and behaviour.past_days = user_features.past_days
            and behaviour.user_id = user_features.user_id

)

select * from final
