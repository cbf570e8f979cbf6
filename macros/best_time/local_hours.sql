{#- The days of activity best hours read before the scoring cutoff: the `best_time_lookback_days` lookback
    and the week before it that the backtest's window reaches back to. -#}
{% macro best_time_window_days() -%}
    {{ return(int_var('best_time_lookback_days', 7) + 7) }}
{%- endmacro %}

{#- Which events int_user_local_hours counts as activity, as SQL text: the `best_time_events` var's names in
    order, or 'every event' when it is null, followed by the event names left out because they carry no time
    of day (int_event_time_of_day), when there are any. Stored with the rows, so that a night sees when the
    var or the left-out names changed. -#}
{% macro local_hours_events_list() -%}
    {%- set events = var('best_time_events') -%}
    {{ sql_string(events | map('string') | sort | join(', ') if events else 'every event') }} || coalesce(
        ' but ' || (
            select {{ text_agg('event_name', "', '", ['event_name asc']) }}
            from {{ ref('int_event_time_of_day') }}
            where not has_time_of_day
        ) || ' (no time of day)',
        ''
    )
{%- endmacro %}

{#- int_user_local_hours' post-hook on an incremental build: delete the stored days outside tonight's window
    (the `best_time_lookback_days` days before the scoring cutoff plus a week), and the rows of a time zone
    the user no longer has or of another events list (the night converted those users' and lists' days
    again). On a full build it deletes nothing. -#}
{% macro expire_local_hours(relation) -%}
    {%- set window_days = best_time_window_days() %}
    delete from {{ relation }}
    where
        event_date >= (select cast(max(cutoff_at) as date) from {{ ref('int_cutoffs') }})
        or event_date < (
            select cast({{ dbt.dateadd('day', '-' ~ window_days, 'max(cutoff_at)') }} as date)
            from {{ ref('int_cutoffs') }}
        )
        or activity_events <> {{ local_hours_events_list() }};

    delete from {{ relation }} as stored_rows
    using {{ ref('int_users') }} as users
    where stored_rows.user_id = users.user_id and stored_rows.timezone <> users.timezone
{%- endmacro %}

{#- Every UTC quarter hour of the `window_days` days before `cutoff_at` (a column of the one-row relation
    `scoring`) in every time zone of `zones` (a relation with a timezone column), converted to local time
    once, as a query: timezone, quarter_hour_at, local_at and event_date (the UTC day). Every time zone
    offset is a whole number of quarter hours, so this small grid (quarter hours x time zones, independent of
    the events) converts any quarter hour of activity by a join. -#}
{% macro local_quarter_hours(scoring, zones, window_days) -%}
    select
        zones.timezone,
        quarter_hour_grid.quarter_hour_at,
        {{ utc_to_local('quarter_hour_grid.quarter_hour_at', 'zones.timezone') }} as local_at,
        cast(quarter_hour_grid.quarter_hour_at as date) as event_date
    from (
        select
            {{ unnest_list(timestamp_steps(
                dbt.dateadd('day', '-' ~ window_days, 'cutoff_at'),
                dbt.dateadd('minute', -15, 'cutoff_at'),
                15
            )) }} as quarter_hour_at
        from {{ scoring }}
    ) as quarter_hour_grid
    cross join {{ zones }} as zones
{%- endmacro %}
