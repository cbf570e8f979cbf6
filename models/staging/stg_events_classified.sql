-- Every source row, typed and trimmed, with the reason it cannot be used (null when it can).
-- stg_events keeps the usable rows, stg_events_rejected the others: nothing is dropped silently.
with

source as (

    select * from {{ source('raw', 'events') }}

),

typed as (

    select
        nullif(trim(cast(user_id as {{ dbt.type_string() }})), '') as user_id,
        nullif(trim(cast(event_name as {{ dbt.type_string() }})), '') as event_name,
        {{ parse_utc_timestamp('event_time') }} as event_at,
        {{ try_cast_number('value') }} as value,
        event_time as event_time_raw,
        value as value_raw

    from source

),

classified as (

    select
        *,
        case
            when user_id is null then 'missing_user_id'
            when event_name is null then 'missing_event_name'
            when event_time_raw is null then 'missing_event_time'
            when event_at is null then 'unparseable_event_time'
            when event_at > {{ dbt.dateadd(
                'hour',
                var('future_event_tolerance_hours'),
                "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)"
            ) }} then 'event_time_in_future'
            when value_raw is not null and value is null then 'unparseable_value'
            when value < 0 then 'negative_value'
        end as reject_reason

    from typed

)

select * from classified
