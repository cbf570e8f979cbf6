-- Each user's activity in their own local time (their timezone attribute; UTC when unknown) over the
-- `best_time_lookback_days` days before the scoring cutoff plus one more week (for the backtest): one row
-- per user, local day, local hour and whole days before the cutoff. Which events count as activity is the
-- `best_time_events` var (null: every event).
with

events as (

    select
        user_id,
        event_name,
        event_at
    from {{ ref('stg_events') }}

),

attributes as (

    select
        user_id,
        timezone
    from {{ ref('stg_user_attributes') }}

),

scoring as (

    select max(cutoff_at) as cutoff_at
    from {{ ref('int_cutoffs') }}

),

localized as (

    select
        events.user_id,
        coalesce(attributes.timezone, 'UTC') as timezone,
        {{ utc_to_local('events.event_at', "coalesce(attributes.timezone, 'UTC')") }} as local_at,
        cast(floor({{ days_between('events.event_at', 'scoring.cutoff_at') }}) as integer) as days_before_cutoff
    from events
    inner join scoring
        on
            events.event_at < scoring.cutoff_at
            and events.event_at >= {{ dbt.dateadd(
                'day', '-' ~ (int_var('best_time_lookback_days', 7) + 7), 'scoring.cutoff_at') }}
    left join attributes on events.user_id = attributes.user_id
    {%- if var('best_time_events') %}
    where events.event_name in (
        {%- for event in var('best_time_events') %}{{ sql_string(event) }}{{ ', ' if not loop.last }}{% endfor -%}
    )
    {%- endif %}

),

final as (

    select
        user_id,
        timezone,
        cast(local_at as date) as local_date,
        cast(isodow(local_at) as integer) as local_weekday,
        cast(hour(local_at) as integer) as local_hour,
        days_before_cutoff,
        count(*) as event_count
    from localized
    group by 1, 2, 3, 4, 5, 6

)

select * from final
