-- Each user's behaviour in the persona window (persona_past_days before the cutoff), read from the
-- feature layer: how recently they did anything, how much they did (events), what it was worth (summed
-- value), how many kinds of things they did and how long they have been around, and two rates that do
-- not grow with tenure: events per day they could have been active in the window, and value per event
-- (what they come for, whatever how often). One row per cutoff with
-- a persona window (int_feature_windows) and user with an event in the history window before it
-- (training cutoffs: the panel's users only). The clustering is fit on the scoring cutoff's rows; the
-- other cutoffs let personas be assigned without seeing the future (actionability, persona_as_feature).
with

windows as (

    select * from {{ ref('int_feature_windows') }}
    where is_persona_window

),

event_features as (

    select * from {{ ref('int_user_event_features') }}

),

users as (

    select
        user_id,
        first_event_at
    from {{ ref('int_users') }}

),

behaviour as (

    select
        windows.cutoff_at,
        windows.cutoff_role,
        windows.past_days,
        windows.history_days,
        event_features.user_id,
        min(event_features.lifetime_days_since_last) as recency_days,
        sum(event_features.event_count) as frequency,
        {{ exact_sum("event_features.value_sum") }} as monetary,
        count(case when event_features.event_count > 0 then 1 end) as event_types
    from windows
    inner join event_features
        on
            windows.cutoff_at = event_features.cutoff_at
            and windows.past_days = event_features.past_days
    group by 1, 2, 3, 4, 5

),

tenured as (

    select
        behaviour.cutoff_at,
        behaviour.user_id,
        least({{ days_between('users.first_event_at', 'behaviour.cutoff_at') }}, behaviour.history_days)
            as tenure_days
    from behaviour
    inner join users on behaviour.user_id = users.user_id

),

final as (

    select
        behaviour.cutoff_at,
        behaviour.user_id,
        behaviour.cutoff_role,
        behaviour.past_days,
        behaviour.recency_days,
        cast(behaviour.frequency as bigint) as frequency,
        behaviour.monetary,
        cast(behaviour.event_types as integer) as event_types,
        tenured.tenure_days,
        behaviour.frequency / greatest(least(tenured.tenure_days, behaviour.past_days), 1.0) as events_per_day,
        coalesce(behaviour.monetary / nullif(behaviour.frequency, 0), 0) as value_per_event
    from behaviour
    inner join tenured
        on
            behaviour.cutoff_at = tenured.cutoff_at
            and behaviour.user_id = tenured.user_id

)

select * from final
