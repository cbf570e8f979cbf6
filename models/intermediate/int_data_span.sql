-- One row: where the usable events begin and end, the analysis day as_of (P2) with its cutoff, and the
-- checks that make a run on the wrong days fail loudly instead of quietly:
--   * no usable events at all (the input is empty, or every row was rejected: counts by reason, and the
--     columns read when ids, names or times were empty);
--   * as_of (the var, or by default the last complete UTC day with events: never the day the run's clock
--     is in, so a partly loaded today and events accepted only by the future tolerance do not move it)
--     before the data starts, or more than `max_days_after_last_event` days after the last event.
-- It also counts the as_of day's events against a typical day, for the partial-load warning. The events are
-- read as their counts per day (int_daily_event_counts), not one by one.
{#- the input columns read as user id, event name and time, for the message when none was usable -#}
{%- set mapping = var('event_columns', {}) or {} %}
{%- set read_columns = [] %}
{%- set read_names = ['user_id', 'event_time'] if single_event_name() else ['user_id', 'event_name', 'event_time'] %}
{%- set read_label = 'Ids and times' if single_event_name() else 'Ids, names and times' %}
{%- for name in read_names %}
    {%- do read_columns.append((mapping.get(name) if mapping is mapping else none) or name) %}
{%- endfor %}
with

event_days as (

    select
        event_date,
        event_count,
        first_event_at,
        last_event_at
    from {{ ref('int_daily_event_counts') }}

),

rejected as (

    select
        reject_reason,
        event_time,
        value
    from {{ ref('stg_events_rejected') }}

),

run_clock as (

    select
        cast('{{ run_started_at.strftime("%Y-%m-%d") }}' as date) as run_date

),

span as (

    select
        cast(coalesce(sum(event_days.event_count), 0) as bigint) as usable_events,
        min(event_days.first_event_at) as first_event_at,
        max(event_days.last_event_at) as last_event_at,
        -- the last event before the run's day (a day before it holds only events before its midnight)
        max(case when event_days.event_date < run_clock.run_date then event_days.last_event_at end)
            as last_complete_day_event_at,
        run_clock.run_date
    from run_clock
    left join event_days on true
    group by run_clock.run_date

),

rejected_reasons as (

    select
        reject_reason,
        count(*) as rejected_rows
    from rejected
    group by reject_reason

),

rejected_summary as (

    select
        coalesce(sum(rejected_rows), 0) as rejected_rows,
        coalesce(
            sum(case when reject_reason in ('missing_user_id', 'missing_event_name', 'missing_event_time') then 1 end),
            0
        ) as missing_reasons,
        {{ text_agg(
            "reject_reason || ': ' || rejected_rows", "', '", ['rejected_rows desc', 'reject_reason asc']
        ) }} as rejected_by_reason
    from rejected_reasons

),

-- one time the parser could not read (the smallest text), to show in the message when nothing was usable
unparseable_example as (

    select min(event_time) as event_time
    from rejected
    where reject_reason = 'unparseable_event_time'

),

-- one value the parser could not read
unparseable_value_example as (

    select min(value) as value
    from rejected
    where reject_reason = 'unparseable_value'

),

as_of as (

    select
        span.*,
        rejected_summary.rejected_rows,
        rejected_summary.rejected_by_reason,
        rejected_summary.missing_reasons,
        unparseable_example.event_time as unparseable_event_time_example,
        unparseable_value_example.value as unparseable_value_example,
        cast(span.first_event_at as date) as data_start_date,
        cast(span.last_event_at as date) as last_event_date,
        coalesce({{ get_as_of() }}, cast(span.last_complete_day_event_at as date)) as as_of_date,
        {{ sql_string(var('as_of', none)) }} is not null as is_as_of_configured
    from span
    cross join rejected_summary
    cross join unparseable_example
    cross join unparseable_value_example

),

daily as (

    select
        event_date,
        cast(sum(event_count) as bigint) as event_count
    from event_days
    group by event_date

),

day_numbers as (

    {{ number_rows(1, 14, 'days_before') }}

),

previous_days as (

    select
        day_numbers.days_before,
        coalesce(daily.event_count, 0) as event_count
    from as_of
    cross join day_numbers
    left join daily
        on daily.event_date = {{ dbt.dateadd('day', '-day_numbers.days_before', 'as_of.as_of_date') }}

),

typical as (

    select {{ median_of('event_count') }} as typical_day_events
    from previous_days

),

day_counts as (

    select
        coalesce(max(daily.event_count), 0) as as_of_day_events,
        max(typical.typical_day_events) as typical_day_events
    from as_of
    cross join typical
    left join daily on as_of.as_of_date = daily.event_date

),

judged as (

    select
        as_of.*,
        day_counts.as_of_day_events,
        day_counts.typical_day_events,
        {{ dbt.dateadd('day', 1, 'cast(as_of.as_of_date as timestamp)') }} as scoring_cutoff_at,
        {{ dbt.datediff('as_of.last_event_date', 'as_of.as_of_date', 'day') }} as days_after_last_event,  -- noqa: LT05
        case
            when as_of.usable_events = 0 and as_of.rejected_rows = 0
                then 'The events input holds no rows: nothing to learn from. Check events_path / events_table.'
            when as_of.usable_events = 0
                then
                    'No usable events: all ' || as_of.rejected_rows || ' input rows were rejected ('
                    || as_of.rejected_by_reason || '). See the table stg_events_rejected for each row and its reason.'
                    || {{ unparseable_time_hint('as_of.unparseable_event_time_example') }}
                    || {{ unparseable_value_hint('as_of.unparseable_value_example') }}
                    || case
                        when as_of.missing_reasons > 0
                            then {{ sql_string(
                                ' ' ~ read_label ~ ' were read from the columns ' ~ read_columns | join(', ')
                                ~ ': if the input holds them under other names, map them with var event_columns'
                                ~ ' (e.g. {event_columns: {user_id: user_pseudo_id}}).'
                            ) }}
                        else ''
                    end
            when as_of.as_of_date is null
                then
                    'No complete day of events yet: every usable event is from ' || as_of.run_date
                    || ', the day the run is in, which may still be loading. Set var as_of to the last complete day.'
            when as_of.as_of_date < as_of.data_start_date
                then
                    'as_of ' || as_of.as_of_date || ' is before the data starts (' || as_of.data_start_date
                    || '): there is no history to score from. Set var as_of on or after ' || as_of.data_start_date
                    || '.'
        end as problem
    from as_of
    cross join day_counts

),

checked as (

    select
        *,
        coalesce(
            problem,
            case
                when days_after_last_event > {{ int_var('max_days_after_last_event', 0) }}
                    then
                        'as_of ' || as_of_date || ' is ' || days_after_last_event || ' days after the last event ('
                        || last_event_date || '): the days in between would count as days without events. A stalled '
                        || 'load? Set var as_of to at most ' || last_event_date || ' plus max_days_after_last_event ('
                        || {{ var('max_days_after_last_event') }} || ').'
            end
        ) as stated_problem
    from judged

)

select
    usable_events,
    first_event_at,
    last_event_at,
    last_complete_day_event_at,
    run_date,
    rejected_rows,
    rejected_by_reason,
    data_start_date,
    last_event_date,
    as_of_date,
    is_as_of_configured,
    as_of_day_events,
    typical_day_events,
    scoring_cutoff_at,
    days_after_last_event
from checked
where {{ raise_if('stated_problem is not null', 'stated_problem') }} is null
