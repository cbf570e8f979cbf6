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
-- between consecutive active days both inside it. Every window reads only its own days.
with

cutoffs as (

    select * from {{ ref('int_feature_windows') }}

),

event_days as (

    select * from {{ ref('int_user_event_days') }}

),

panel as (

    select user_id from {{ ref('int_training_panel') }}

),

past_windows as (

    select distinct
        cutoff_at,
        past_days,
        features_start_at,
        cutoff_role = 'scoring' as is_scoring
    from cutoffs

),

history_windows as (

    select distinct
        cutoff_at,
        history_days as past_days,
        history_start_at as features_start_at,
        cutoff_role = 'scoring' as is_scoring
    from cutoffs

),

feature_windows as (

    select
        cutoff_at,
        past_days,
        features_start_at,
        is_scoring,
        cast(features_start_at as date) as start_date,
        cast(cutoff_at as date) as cutoff_date,
        -- the second half starts at a midnight (even past_days) or at noon (odd)
        cast({{ dbt.dateadd('second', 'past_days * 43200', 'features_start_at') }} as date) as half_date,
        past_days % 2 = 1 as is_half_at_noon
    from (
        select * from past_windows
        union
        select * from history_windows
    ) as windows

),

window_span as (

    select
        max(cutoff_date) as last_cutoff_date,
        min(start_date) as panel_start_date,
        min(case when is_scoring then start_date end) as everyone_start_date
    from feature_windows

),

-- Only the days inside some window a user needs are read (every window for panel users, the scoring
-- windows for the others); each day knows the last event of the user's previous active day.
sequenced as (

    select
        event_days.user_id,
        event_days.event_name,
        event_days.event_date,
        event_days.event_count,
        event_days.afternoon_count,
        event_days.value_sum,
        event_days.first_event_at,
        event_days.last_event_at,
        event_days.max_inner_gap_days,
        panel.user_id is not null as is_panel_user,
        lag(event_days.last_event_at) over (
            partition by event_days.user_id, event_days.event_name order by event_days.event_date
        ) as previous_event_at
    from event_days
    inner join window_span
        on
            event_days.event_date < window_span.last_cutoff_date
            and event_days.event_date >= window_span.panel_start_date
    left join panel on event_days.user_id = panel.user_id
    where panel.user_id is not null or event_days.event_date >= window_span.everyone_start_date

),

days as (

    select distinct event_date from sequenced

),

window_days as (

    select
        feature_windows.*,
        days.event_date
    from feature_windows
    inner join days
        on
            feature_windows.start_date <= days.event_date
            and feature_windows.cutoff_date > days.event_date

),

window_stats as (

    select
        window_days.cutoff_at,
        window_days.past_days,
        sequenced.user_id,
        sequenced.event_name,
        sum(sequenced.event_count) as event_count,
        {{ exact_sum('sequenced.value_sum') }} as value_sum,
        min(sequenced.first_event_at) as first_event_at,
        max(sequenced.last_event_at) as last_event_at,
        sum(
            case
                when sequenced.event_date > window_days.half_date then sequenced.event_count
                when sequenced.event_date < window_days.half_date then 0
                when window_days.is_half_at_noon then sequenced.afternoon_count
                else sequenced.event_count
            end
        ) as second_half_count,
        greatest(
            max(sequenced.max_inner_gap_days),
            max(
                case
                    when sequenced.previous_event_at >= window_days.features_start_at
                        then {{ days_between('sequenced.previous_event_at', 'sequenced.first_event_at') }}
                end
            )
        ) as max_gap_days

    from sequenced
    inner join window_days
        on
            sequenced.event_date = window_days.event_date
            and (window_days.is_scoring or sequenced.is_panel_user)
    group by 1, 2, 3, 4

),

lifetime_keys as (

    select distinct
        cutoff_at,
        past_days,
        history_days
    from cutoffs

),

combined as (

    select
        lifetime_keys.cutoff_at,
        lifetime_keys.past_days,
        lifetime_stats.user_id,
        lifetime_stats.event_name,
        cast(coalesce(window_stats.event_count, 0) as bigint) as event_count,
        {{ days_between('window_stats.last_event_at', 'lifetime_keys.cutoff_at') }} as days_since_last,
        case
            when window_stats.event_count >= 2
                then
                    {{ days_between('window_stats.first_event_at', 'window_stats.last_event_at') }}
                    / (window_stats.event_count - 1)
        end as mean_gap_days,
        window_stats.max_gap_days,
        case
            when window_stats.event_count > 0
                then (2.0 * window_stats.second_half_count - window_stats.event_count) / window_stats.event_count
        end as trend,
        coalesce(window_stats.value_sum, 0) as value_sum,
        cast(lifetime_stats.event_count as bigint) as lifetime_count,
        {{ days_between('lifetime_stats.last_event_at', 'lifetime_keys.cutoff_at') }} as lifetime_days_since_last

    from lifetime_keys
    inner join window_stats as lifetime_stats
        on
            lifetime_keys.cutoff_at = lifetime_stats.cutoff_at
            and lifetime_keys.history_days = lifetime_stats.past_days
    left join window_stats
        on
            lifetime_keys.cutoff_at = window_stats.cutoff_at
            and lifetime_keys.past_days = window_stats.past_days
            and lifetime_stats.user_id = window_stats.user_id
            and lifetime_stats.event_name = window_stats.event_name

),

final as (

    select
        *,
        days_since_last / nullif(mean_gap_days, 0) as recency_gap_ratio
    from combined

)

select * from final
