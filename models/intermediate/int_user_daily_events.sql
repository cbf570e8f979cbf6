{{ config(materialized='view') }}
-- Each user's events per UTC day: how many of each event and their summed value. A view (filters on
-- event and day reach the events), read where whole days are enough: cutoffs are UTC midnights, so a
-- window [cutoff, cutoff + n days) is exactly n UTC days. segment_realised_precision judges published
-- nights with it.
with

events as (

    select
        user_id,
        event_name,
        event_at,
        value
    from {{ ref('stg_events') }}

),

final as (

    select
        user_id,
        event_name,
        cast(event_at as date) as event_date,
        count(*) as event_count,
        coalesce({{ exact_sum('value') }}, 0) as value_sum
    from events
    group by 1, 2, 3

)

select * from final
