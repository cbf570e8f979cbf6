-- Leakage guard: recount every user-event feature row straight from stg_events, reading only
-- [cutoff - past_days, cutoff) for window features and [cutoff - history_days, cutoff) for lifetime ones,
-- and return every row where the model disagrees. Also fails if a recency implies an event at or after
-- the cutoff, or one older than its window. On more than `data_test_sample_users` users, the rows of a
-- sample of that many (data_test_sample).
with

sampled as (

    {{ data_test_sample() }}

),

features as (

    select * from {{ ref('int_user_event_features') }}
    where user_id in (select sampled.user_id from sampled)

),

histories as (

    select distinct
        cutoff_at,
        history_days
    from {{ ref('int_feature_windows') }}

),

-- the sampled users' events, computed before the join: left to the optimizer, the filter on the users could
-- run after the join, on every pair of a feature row and an event (37M pairs on 40k users over 700 days,
-- three times slower)
events as {{ materialized_cte() }} (

    select
        user_id,
        event_name,
        event_at
    from {{ ref('stg_events') }}
    where user_id in (select sampled.user_id from sampled)

),

recount as (

    select
        features.cutoff_at,
        features.past_days,
        features.user_id,
        features.event_name,
        count(
            case
                when events.event_at >= {{ dbt.dateadd('day', '-features.past_days', 'features.cutoff_at') }}
                    then 1
            end
        ) as event_count,
        count(*) as lifetime_count
    from features
    inner join histories on features.cutoff_at = histories.cutoff_at
    inner join events
        on
            features.user_id = events.user_id
            and features.event_name = events.event_name
            and features.cutoff_at > events.event_at
            and events.event_at >= {{ dbt.dateadd('day', '-histories.history_days', 'features.cutoff_at') }}
    group by 1, 2, 3, 4

)

select
    features.*,
    recount.event_count as recounted_event_count,
    recount.lifetime_count as recounted_lifetime_count
from features
inner join histories on features.cutoff_at = histories.cutoff_at
left join recount
    on
        features.cutoff_at = recount.cutoff_at
        and features.past_days = recount.past_days
        and features.user_id = recount.user_id
        and features.event_name = recount.event_name
where
    recount.user_id is null
    or features.event_count != recount.event_count
    or features.lifetime_count != recount.lifetime_count
    or features.days_since_last <= 0
    or features.lifetime_days_since_last <= 0
    or features.days_since_last > features.past_days
    or features.lifetime_days_since_last > histories.history_days
