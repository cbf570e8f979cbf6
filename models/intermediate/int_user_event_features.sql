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
-- To avoid re-reading every event once per window, events are first summarised per user, event and
-- "bucket": the spans between consecutive window boundaries (cutoffs, window starts and window midpoints).
-- Every window is then an exact union of buckets.
with

cutoffs as (

    select * from {{ ref('int_feature_windows') }}

),

events as (

    select
        user_id,
        event_name,
        event_at,
        value
    from {{ ref('stg_events') }}

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
        *,
        {{ dbt.dateadd('second', 'past_days * 43200', 'features_start_at') }} as second_half_start_at
    from (
        select * from past_windows
        union
        select * from history_windows
    ) as windows

),

window_span as (

    select
        max(cutoff_at) as last_cutoff_at,
        min(features_start_at) as panel_start_at,
        min(case when is_scoring then features_start_at end) as everyone_start_at
    from feature_windows

),

boundaries as (

    select cutoff_at as boundary_at from feature_windows
    union
    select features_start_at as boundary_at from feature_windows
    union
    select second_half_start_at as boundary_at from feature_windows

),

buckets as (

    select
        lag(boundary_at) over (order by boundary_at) as bucket_start_at,
        boundary_at as bucket_end_at
    from boundaries

),

-- Only the events inside some window a user needs are read (every window for panel users, the scoring
-- windows for the others).
sequenced as (

    select
        events.*,
        panel.user_id is not null as is_panel_user,
        lag(events.event_at) over (partition by events.user_id, events.event_name order by events.event_at)
            as previous_event_at
    from events
    inner join window_span
        on
            events.event_at < window_span.last_cutoff_at
            and events.event_at >= window_span.panel_start_at
    left join panel on events.user_id = panel.user_id
    where panel.user_id is not null or events.event_at >= window_span.everyone_start_at

),

bucket_stats as (

    select
        sequenced.user_id,
        sequenced.event_name,
        buckets.bucket_start_at,
        buckets.bucket_end_at,
        sequenced.is_panel_user,
        count(*) as event_count,
        {{ exact_sum('sequenced.value') }} as value_sum,
        min(sequenced.event_at) as first_event_at,
        max(sequenced.event_at) as last_event_at,
        max(
            case
                when sequenced.previous_event_at >= buckets.bucket_start_at
                    then {{ days_between('sequenced.previous_event_at', 'sequenced.event_at') }}
            end
        ) as max_inner_gap_days,
        -- the last event before this bucket: only the bucket's first event has its predecessor outside
        max(
            case when sequenced.previous_event_at < buckets.bucket_start_at then sequenced.previous_event_at end
        ) as previous_bucket_event_at

    from sequenced
    inner join buckets
        on
            sequenced.event_at >= buckets.bucket_start_at
            and sequenced.event_at < buckets.bucket_end_at
    group by 1, 2, 3, 4, 5

),

window_stats as (

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        bucket_stats.user_id,
        bucket_stats.event_name,
        sum(bucket_stats.event_count) as event_count,
        {{ exact_sum('bucket_stats.value_sum') }} as value_sum,
        min(bucket_stats.first_event_at) as first_event_at,
        max(bucket_stats.last_event_at) as last_event_at,
        sum(
            case
                when bucket_stats.bucket_start_at >= feature_windows.second_half_start_at
                    then bucket_stats.event_count
                else 0
            end
        ) as second_half_count,
        greatest(
            max(bucket_stats.max_inner_gap_days),
            max(
                case
                    when bucket_stats.previous_bucket_event_at >= feature_windows.features_start_at
                        then {{ days_between('bucket_stats.previous_bucket_event_at', 'bucket_stats.first_event_at') }}
                end
            )
        ) as max_gap_days

    from bucket_stats
    inner join feature_windows
        on
            bucket_stats.bucket_start_at >= feature_windows.features_start_at
            and bucket_stats.bucket_end_at <= feature_windows.cutoff_at
            and (feature_windows.is_scoring or bucket_stats.is_panel_user)
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
