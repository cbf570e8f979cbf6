{{ config(materialized='view') }}
-- Each user's events per UTC day: how many of each event and their summed value, read from the daily
-- rollup (int_user_event_days) rather than counted again from the events. Read where whole days are
-- enough: cutoffs are UTC midnights, so a window [cutoff, cutoff + n days) is exactly n UTC days.
-- segment_realised_precision judges published nights with it.
with

event_days as (

    select
        user_id,
        event_name,
        event_date,
        event_count,
        value_sum
    from {{ ref('int_user_event_days') }}

),

final as (

    select
        user_id,
        event_name,
        event_date,
        event_count,
        coalesce(cast(value_sum as double), 0) as value_sum
    from event_days

)

select * from final
