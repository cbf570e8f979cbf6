-- Who is scored for each segment at each cutoff (training and scoring), by the segment's population:
--   * did_eligible_event: users who did the eligible_event in the past window [cutoff - past_days, cutoff);
--   * did_target_event (the default for will_not_do): users who did the target event in the past window
--     (only what a user was doing can be stopped);
--   * all_users (the default for will_do): every user seen before the cutoff, dormant ones included.
-- Training cutoffs cover the users of int_training_panel only; the scoring cutoff covers every user.
--
-- With refit_every_days > 1 (on DuckDB) the table is incremental: a night keeps the training rows of each
-- segment whose fit_key (int_training_state) is unchanged, since they are a function of the events before
-- the refit day (as the labels they feed are), and computes its scoring rows and the other segments' rows
-- (the keep_segments strategy, keeping only the rows `kept_rows_where` selects, deletes the rest).
{%- set kept_rows_where = "cutoff_role = 'training'" %}
{{ config(
    materialized='incremental' if target.type != 'spark' and int_var('refit_every_days', 1) > 1 else 'table',
    incremental_strategy='keep_segments',
    kept_rows_where=kept_rows_where,
    on_schema_change='fail'
) }}
{%- set kept = kept_segments(this) if is_incremental() else [] %}
with

definitions as (

    select * from {{ ref('int_segment_definitions') }}

),

-- the kept segments' training cutoffs are not computed again
cutoffs as (

    select * from {{ ref('int_cutoffs') }}
    {%- if kept %}
        where not ({{ segments_condition(kept) }} and {{ kept_rows_where }})
    {%- endif %}

),

-- the fit_key the rows are computed under: a later night keeps the segment's training rows while it holds
state as (

    select
        segment_name,
        fit_key
    from {{ ref('int_training_state') }}

),

-- the users who did each event in each (cutoff, past window): its event_count, counted from the daily rollup
-- over the segment's own past window (which int_user_event_features computes for every segment), and only
-- for the panel's users at training cutoffs. Read from there rather than joining every day of the rollup to
-- every window that holds it and making the pairs distinct again.
window_events as (

    select
        cutoff_at,
        past_days,
        user_id,
        event_name
    from {{ ref('int_user_event_features') }}
    where event_count > 0

),

rules as (

    select
        segment_name,
        {{ population_event('population', 'target_event', 'eligible_event') }} as eligibility_event
    from definitions

),

panel as (

    select user_id from {{ ref('int_training_panel') }}

),

-- when each user was first seen (int_users holds every user seen before the scoring cutoff, the latest
-- cutoff)
first_seen as (

    select
        user_id,
        first_event_at
    from {{ ref('int_users') }}

),

by_past_event as (

    select
        cutoffs.segment_name,
        cutoffs.cutoff_at,
        window_events.user_id
    from cutoffs
    inner join rules on cutoffs.segment_name = rules.segment_name
    inner join window_events
        on
            rules.eligibility_event = window_events.event_name
            and cutoffs.cutoff_at = window_events.cutoff_at
            and cutoffs.past_days = window_events.past_days

),

by_first_seen as (

    select
        cutoffs.segment_name,
        cutoffs.cutoff_at,
        first_seen.user_id
    from cutoffs
    inner join rules on cutoffs.segment_name = rules.segment_name
    inner join first_seen on cutoffs.cutoff_at > first_seen.first_event_at
    where rules.eligibility_event is null

),

final as (

    select
        eligible.segment_name,
        eligible.cutoff_at,
        cutoffs.cutoff_role,
        eligible.user_id,
        state.fit_key
    from (
        select * from by_past_event
        union all
        select * from by_first_seen
    ) as eligible
    inner join cutoffs
        on
            eligible.segment_name = cutoffs.segment_name
            and eligible.cutoff_at = cutoffs.cutoff_at
    left join panel on eligible.user_id = panel.user_id
    left join state on eligible.segment_name = state.segment_name
    where cutoffs.cutoff_role = 'scoring' or panel.user_id is not null

)

select * from final
