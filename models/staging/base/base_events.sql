-- Every input event row, parsed from text in SQL, with the reason it cannot be used (null when it can).
-- The single place where event rows are judged: stg_events keeps the usable rows, stg_events_rejected
-- the others, so nothing is dropped silently. The input's columns are checked before anything reads it.
-- A CSV file comes through base_events_input, which adds a row per line the reader could not read.
-- A table (unlike the other base models): the input is parsed once, and both stg models read the result.
{{ config(materialized='table') }}
{%- set columns = input_columns(
    'events', ref('base_events_input') if input_is_csv('events') else input_relation('events'), ['user_id', 'event_name', 'event_time'], ['value'], 'event_columns') %}

with

source as (

    {% if input_is_csv('events') -%}
        select * from {{ ref('base_events_input') }}
    {%- else -%}
        -- depends_on: {{ ref('base_events_input') }}
        select
            *,
            cast(null as bigint) as input_line,
            cast(null as {{ dbt.type_string() }}) as unreadable_reason,
            cast(null as {{ dbt.type_string() }}) as raw_line
        from {{ input_relation('events') }}
    {%- endif %}

),

renamed as (

    select
        {{ input_text(columns, 'user_id') }} as user_id_raw,
        {{ input_text(columns, 'event_name') }} as event_name,
        {{ input_column(columns, 'event_time') }} as event_time_input,
        -- the trimmed text, where parsing or the missing check needs it (a typed input needs none)
        {{ input_text(columns, 'event_time') }} as event_time_raw,
        {{ input_column(columns, 'value') }} as value_input,
        {{ input_text(columns, 'value') }} as value_raw,
        unreadable_reason,
        coalesce('line ' || input_line || ' ', '') || '(' || unreadable_reason || '): ' || raw_line
            as unreadable_line

    from source

),

parsed as (

    select
        {{ normalize_id('user_id_raw') }} as user_id,
        event_name,
        {{ parse_utc_time('event_time_input', 'event_time_raw', columns.event_time.type) }} as event_at,
        {{ parse_number('value_input', 'value_raw', columns.value.type) }} as value,
        event_time_input,
        value_input,
        event_time_raw,
        value_raw,
        unreadable_reason,
        unreadable_line

    from renamed

),

-- read twice (the usable days and the final rows), computed once
judged as {{ materialized_cte() }} (

    select
        user_id,
        event_name,
        event_at,
        value,
        event_time_input,
        value_input,
        unreadable_line,
        case
            when unreadable_reason is not null then 'unreadable_line'
            when user_id is null then 'missing_user_id'
            when event_name is null then 'missing_event_name'
            when {{ input_is_missing(columns, 'event_time', 'event_time_input', 'event_time_raw') }}
                then 'missing_event_time'
            when event_at is null then 'unparseable_event_time'
            when event_at > {{ dbt.dateadd(
                'hour',
                var('future_event_tolerance_hours'),
                "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)"
            ) }} then 'event_time_in_future'
            when not {{ input_is_missing(columns, 'value', 'value_input', 'value_raw') }} and value is null
                then 'unparseable_value'
            when not {{ is_finite('value') }} then 'non_finite_value'
            when abs(value) > {{ var('max_event_value') }} then 'value_out_of_range'
            when value < 0 then 'negative_value'
        end as reject_reason

    from parsed

),

usable_days as (

    select
        cast(event_at as date) as event_date,
        count(*) as event_count
    from judged
    where reject_reason is null
    group by 1

),

previous_days as (

    select
        event_date,
        event_count,
        lag(event_date) over (order by event_date) as previous_event_date
    from usable_days

),

day_gaps as (

    select
        event_date,
        coalesce(sum(event_count) over (
            order by event_date rows between unbounded preceding and 1 preceding
        ), 0) as events_before,
        sum(event_count) over () as total_events,
        {{ dbt.datediff('previous_event_date', 'event_date', 'day') }} as gap_days  -- noqa: LT05
    from previous_days

),

data_start as (

    -- the first day after the last long gap that only a few stray events precede
    select
        coalesce(
            max(
                case
                    when
                        gap_days >= {{ int_var('stray_event_gap_days', 1) }}
                        and events_before <= {{ var('stray_event_max_share') }} * total_events
                        then event_date
                end
            ),
            min(event_date)
        ) as data_start_date
    from day_gaps

),

final_reasons as (

    select
        judged.user_id,
        judged.event_name,
        judged.event_at,
        judged.value,
        judged.event_time_input,
        judged.value_input,
        judged.unreadable_line,
        case
            when judged.reject_reason is not null then judged.reject_reason
            when cast(judged.event_at as date) < data_start.data_start_date then 'before_data_start'
        end as reject_reason

    from judged
    cross join data_start

),

final as (

    -- the input's text, for the rejected rows only: nobody reads it for the others, and converting every
    -- typed input to text would cost more than all the judging
    select
        user_id,
        event_name,
        event_at,
        value,
        case when reject_reason is not null then {{ input_text(columns, 'event_time', 'event_time_input') }} end
            as event_time_raw,
        case when reject_reason is not null then {{ input_text(columns, 'value', 'value_input') }} end as value_raw,
        unreadable_line,
        reject_reason
    from final_reasons

)

select * from final
