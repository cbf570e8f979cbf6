-- Leakage guard: recount every label straight from stg_events, reading only [cutoff, cutoff + future_days),
-- and return every row where int_segment_labels disagrees. On more than `data_test_sample_users` users, the
-- labels of a sample of that many (data_test_sample).
with

sampled as (

    {{ data_test_sample() }}

),

labels as (

    select * from {{ ref('int_segment_labels') }}
    where user_id in (select sampled.user_id from sampled)

),

definitions as (

    select * from {{ ref('int_segment_definitions') }}

),

events as (

    select * from {{ ref('stg_events') }}
    where user_id in (select sampled.user_id from sampled)

),

recount as (

    select
        labels.segment_name,
        labels.cutoff_at,
        labels.user_id,
        count(events.event_at) as target_event_count
    from labels
    inner join definitions on labels.segment_name = definitions.segment_name
    left join events
        on
            labels.user_id = events.user_id
            and definitions.target_event = events.event_name
            and labels.cutoff_at <= events.event_at
            and events.event_at < {{ dbt.dateadd('day', 'definitions.future_days', 'labels.cutoff_at') }}
    group by 1, 2, 3

)

select
    labels.*,
    recount.target_event_count as recounted_target_event_count
from labels
inner join recount
    on
        labels.segment_name = recount.segment_name
        and labels.cutoff_at = recount.cutoff_at
        and labels.user_id = recount.user_id
where labels.target_event_count != recount.target_event_count
