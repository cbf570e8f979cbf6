-- Recency, frequency, gap, trend and value features per user and event, at every (cutoff, past window)
-- of int_feature_windows: the ones some segment needs, and the personas'. Segments that share a cutoff
-- and past_days share these rows.
--
-- Training cutoffs cover the users of int_training_panel; the scoring cutoff covers every user.
--
-- Windows are half-open: past-window features see [cutoff - past_days, cutoff); lifetime features see the
-- history window [cutoff - history_days, cutoff), the same length at every cutoff (see int_cutoffs), so
-- they never grow with calendar time. Nothing at or after the cutoff is ever read.
--
-- Read from the daily rollup int_user_event_days, never from the events: cutoffs are UTC midnights, so a
-- window is a whole number of days (its midpoint, for the trend, at most splits one day at noon, which the
-- rollup counts separately). The longest gap in a window is the longest gap inside one of its days or
-- between consecutive active days both inside it. Every window reads only its own days, except that the
-- history every window's lifetime features read and no past window does is summed once for all of them:
-- for the panel's users, the days every window's history holds and no past window does; for the other
-- users, who have the scoring cutoff's windows only, the days before the scoring cutoff's longest past
-- window.
--
-- With refit_every_days > 1 (on DuckDB) the table is incremental: a night keeps the rows of the training
-- windows it already holds under the same training_data_key (int_training_state: the same refit day, panel
-- and events before it) and computes the others, the scoring cutoff's among them (the keep_windows
-- strategy deletes the rest). A night that keeps every training window reads the rollup once for all users.
{{ config(
    materialized='incremental' if target.type != 'spark' and int_var('refit_every_days', 1) > 1 else 'table',
    incremental_strategy='keep_windows',
    on_schema_change='fail'
) }}
{%- set kept = kept_windows(this) if is_incremental() else [] %}
{#- a night that keeps every training window computes the scoring cutoff's only, which covers every user
    alike: the rollup is then read once for all users, without the panel's split (the same rows) -#}
{%- set scoring_only = kept and not computes_training_windows(kept) %}
with

cutoffs as (

    select * from {{ ref('int_feature_windows') }}
    {%- if kept %}
        where not ({{ windows_condition(kept) }})
    {%- endif %}

),

panel as (

    select user_id from {{ ref('int_training_panel') }}

),

-- one row per (cutoff, past window), with the history window around it
feature_windows as (

    select distinct
        cutoff_at,
        past_days,
        history_days,
        features_start_at,
        training_data_key,
        cutoff_role = 'scoring' as is_scoring,
        cast(features_start_at as date) as start_date,
        cast(history_start_at as date) as history_start_date,
        cast(cutoff_at as date) as cutoff_date,
        -- the second half starts at a midnight (even past_days) or at noon (odd)
        cast({{ dbt.dateadd('second', 'past_days * 43200', 'features_start_at') }} as date) as half_date,
        past_days % 2 = 1 as is_half_at_noon
    from cutoffs

),

window_span as (

    select
        max(cutoff_date) as last_cutoff_date,
        min(history_start_date) as panel_start_date,
        -- the panel's shared history: days every window's lifetime features read and no past window does
        -- (none when the cutoffs lie further apart than the history window is long)
        max(history_start_date) as shared_start_date,
        min(start_date) as shared_end_date,
        -- the other users' shared history ends where the scoring cutoff's longest past window starts
        min(case when is_scoring then start_date end) as everyone_shared_end_date
    from feature_windows

),

-- Only the days inside some window a user needs and outside the user's shared history are read (every
-- window for panel users, the scoring windows for the others); each day knows the user's previous event of
-- its kind (int_user_event_days). The rollup is read for each part, each time for its own days and
-- columns, rather than through one import CTE: DuckDB materializes a CTE read more than once, and holding
-- every day of a year's history in memory costs more than another scan.
{#- the rollup's columns both parts read, in one order: a union pairs them by position -#}
{%- set day_columns = [
    'user_id', 'event_name', 'event_date', 'event_count', 'afternoon_count', 'value_sum', 'first_event_at',
    'last_event_at', 'max_inner_gap_days', 'previous_event_at'
] %}
sequenced as (
    {%- if not scoring_only %}

        select
            {%- for column in day_columns %}
                event_days.{{ column }},
            {%- endfor %}
            true as is_panel_user
        from {{ ref('int_user_event_days') }} as event_days
        inner join window_span
            on
                event_days.event_date < window_span.last_cutoff_date
                and event_days.event_date >= window_span.panel_start_date
                and (
                    event_days.event_date < window_span.shared_start_date
                    or event_days.event_date >= window_span.shared_end_date
                )
        inner join panel on event_days.user_id = panel.user_id

        union all
    {%- endif %}

    select
        {%- for column in day_columns %}
            event_days.{{ column }},
        {%- endfor %}
        false as is_panel_user
    from {{ ref('int_user_event_days') }} as event_days
    inner join window_span
        on
            event_days.event_date < window_span.last_cutoff_date
            and event_days.event_date >= window_span.everyone_shared_end_date
    {%- if not scoring_only %}
        left join panel on event_days.user_id = panel.user_id
        where panel.user_id is null
    {%- endif %}

),

-- every day some window reads (generated, not read from the events, so that the days above are read once)
days as (

    select cast(day_at as date) as event_date
    from (
        select
            {{ unnest_list(timestamp_steps(
                'cast(panel_start_date as timestamp)',
                dbt.dateadd('day', -1, 'cast(last_cutoff_date as timestamp)'),
                1440
            )) }} as day_at
        from window_span
    ) as steps

),

-- every day of each history window outside the shared history, and whether it lies in the past window
window_days as (

    select
        feature_windows.*,
        days.event_date,
        days.event_date >= feature_windows.start_date as is_in_window
    from feature_windows
    inner join days
        on
            feature_windows.history_start_date <= days.event_date
            and feature_windows.cutoff_date > days.event_date
    cross join window_span
    where days.event_date < window_span.shared_start_date or days.event_date >= window_span.shared_end_date

),

-- each user's count and last event of each kind over the user's shared history, summed once rather than
-- once per window: with a year of history and cutoffs a few weeks apart, most of every history window.
-- Both shared histories start where the scoring cutoff's history does (the newest cutoff's history starts
-- last); the others' ends later.
shared_history as (

    select
        event_days.user_id,
        event_days.event_name,
        {{ 'false' if scoring_only else 'panel.user_id is not null' }} as is_panel_user,
        -- bigint, as the days' counts it is unioned with: a sum is wider (hugeint) and would widen every
        -- window's sums below with it
        cast(sum(event_days.event_count) as bigint) as event_count,
        max(event_days.last_event_at) as last_event_at
    from {{ ref('int_user_event_days') }} as event_days
    inner join window_span
        on
            event_days.event_date >= window_span.shared_start_date
            and event_days.event_date < window_span.everyone_shared_end_date
    {%- if not scoring_only %}
        left join panel on event_days.user_id = panel.user_id
        where panel.user_id is null or event_days.event_date < window_span.shared_end_date
    {%- endif %}
    group by 1, 2, 3

),

-- the rows each window aggregates: its days outside the shared history, and the shared history as one
-- more row (outside the past window: it counts for the lifetime features only)
window_rows as (

    select
        window_days.cutoff_at,
        window_days.past_days,
        window_days.features_start_at,
        window_days.half_date,
        window_days.is_half_at_noon,
        window_days.is_in_window,
        sequenced.user_id,
        sequenced.event_name,
        sequenced.event_date,
        sequenced.event_count,
        sequenced.afternoon_count,
        sequenced.value_sum,
        sequenced.first_event_at,
        sequenced.last_event_at,
        sequenced.max_inner_gap_days,
        sequenced.previous_event_at
    from sequenced
    inner join window_days
        on
            sequenced.event_date = window_days.event_date
            and (window_days.is_scoring or sequenced.is_panel_user)

    union all

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.features_start_at,
        feature_windows.half_date,
        feature_windows.is_half_at_noon,
        false as is_in_window,
        shared_history.user_id,
        shared_history.event_name,
        null as event_date,
        shared_history.event_count,
        null as afternoon_count,
        null as value_sum,
        null as first_event_at,
        shared_history.last_event_at,
        null as max_inner_gap_days,
        null as previous_event_at
    from shared_history
    inner join feature_windows on feature_windows.is_scoring or shared_history.is_panel_user

),

-- the history window's counts and the past window's statistics in one pass (no event in the past
-- window: its statistics are null)
window_stats as (

    select
        cutoff_at,
        past_days,
        user_id,
        event_name,
        sum(event_count) as lifetime_count,
        max(last_event_at) as lifetime_last_event_at,
        sum(case when is_in_window then event_count end) as event_count,
        {{ exact_sum('case when is_in_window then value_sum end') }} as value_sum,
        min(case when is_in_window then first_event_at end) as first_event_at,
        max(case when is_in_window then last_event_at end) as last_event_at,
        sum(
            case
                when not is_in_window then null
                when event_date > half_date then event_count
                when event_date < half_date then 0
                when is_half_at_noon then afternoon_count
                else event_count
            end
        ) as second_half_count,
        greatest(
            max(case when is_in_window then max_inner_gap_days end),
            max(
                case
                    when is_in_window and previous_event_at >= features_start_at
                        then {{ days_between('previous_event_at', 'first_event_at') }}
                end
            )
        ) as max_gap_days

    from window_rows
    group by 1, 2, 3, 4

),

-- each feature from its expression in feature_catalog()
combined as (

    select
        {%- for feature in catalog_features('event') if not feature.derived %}
            {{ feature.expression }} as {{ feature.name }},
        {%- endfor %}
        cutoff_at,
        past_days,
        user_id,
        event_name
    from window_stats

),

-- with the window's training_data_key, which tells a later night whether to keep its rows
keyed as (

    select
        combined.*,
        feature_windows.training_data_key
    from combined
    inner join feature_windows
        on
            combined.cutoff_at = feature_windows.cutoff_at
            and combined.past_days = feature_windows.past_days

),

final as (

    {%- set features = catalog_features('event') %}
    select
        cutoff_at,
        past_days,
        user_id,
        event_name,
        {%- for feature in features[:-1] %}
            {{ feature.expression if feature.derived else feature.name }} as {{ feature.name }},
        {%- endfor %}
        {{ features[-1].expression if features[-1].derived else features[-1].name }} as {{ features[-1].name }},
        training_data_key
    from keyed

)

select * from final
