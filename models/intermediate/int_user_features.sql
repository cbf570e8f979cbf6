-- User-level features at every (cutoff, past window) of int_feature_windows (the segments' and the
-- personas'): tenure, active days in the past window, days since the last event of any kind, and the
-- categorical user attributes. One row per
-- user seen (any event) before the cutoff; training cutoffs cover the users of int_training_panel only.
-- Tenure and days since the last event are capped at history_days (see int_cutoffs), the history every
-- cutoff has, so scoring rows stay inside the range training rows cover. The first event comes from
-- int_users; the last one in the history window from the per-event features (int_user_event_features,
-- which sum that history once for every event); only the past windows' days of the daily rollup
-- int_user_event_days are read, for the active days.
--
-- With refit_every_days > 1 (on DuckDB) the table is incremental: a night keeps the rows of the training
-- windows it already holds under the same training_rows_key (int_training_state: the events before the
-- refit day and every user's attributes) and computes the others, the scoring cutoff's among them (the
-- keep_windows strategy deletes the rest). Its attribute columns follow `categorical_attributes` and
-- `persona_as_feature`, so a night after either changed syncs the table's columns: the training_rows_key
-- covers the attributes and is null with personas as a feature, so such a night keeps no row and every row
-- is computed again with the new columns.
{{ config(
    materialized='incremental' if target.type != 'spark' and int_var('refit_every_days', 1) > 1 else 'table',
    incremental_strategy='keep_windows',
    window_key='training_rows_key',
    on_schema_change='sync_all_columns'
) }}
{%- set kept = kept_windows(this, 'training_rows_key') if is_incremental() else [] %}
with

cutoffs as (

    select * from {{ ref('int_feature_windows') }}
    {%- if kept %}
        where not ({{ windows_condition(kept) }})
    {%- endif %}

),

-- what the training windows' rows are a function of, which tells a later night whether to keep them
state as (

    select max(training_rows_key) as training_rows_key
    from {{ ref('int_training_state') }}

),

event_days as (

    select * from {{ ref('int_user_event_days') }}

),

event_features as (

    {%- if kept %}
        -- the rows of the windows computed tonight, as a join to them: its bounds reach the scan, where the
        -- negation of every kept window was tested on each row
        select event_features.*
        from {{ ref('int_user_event_features') }} as event_features
        semi join (select distinct cutoff_at, past_days from cutoffs) as computed
            on
                event_features.cutoff_at = computed.cutoff_at
                and event_features.past_days = computed.past_days
    {%- else %}
        select * from {{ ref('int_user_event_features') }}
    {%- endif %}

),

users as (

    select
        user_id,
        first_event_at
    from {{ ref('int_users') }}

),

{%- if categorical_attributes() %}

attributes as (

    select * from {{ ref('stg_user_attributes') }}

),
{%- else %}
-- depends_on: {{ ref('stg_user_attributes') }}
{%- endif %}

{%- if var('persona_as_feature', false) | as_bool %}
personas as (

    select * from {{ ref('int_user_personas') }}

),
{%- endif %}

panel as (

    select user_id from {{ ref('int_training_panel') }}

),

feature_windows as (

    select distinct
        cutoff_at,
        past_days,
        history_days,
        cast(features_start_at as date) as start_date,
        cast(history_start_at as date) as history_start_date,
        cast(cutoff_at as date) as cutoff_date,
        cutoff_role = 'scoring' as is_scoring
    from cutoffs

),

window_span as (

    select
        max(cutoff_date) as last_cutoff_date,
        min(start_date) as panel_start_date,
        min(case when is_scoring then start_date end) as everyone_start_date
    from feature_windows

),

-- the days each user was active on, inside the past windows the user needs
user_days as (

    select distinct
        event_days.user_id,
        event_days.event_date,
        panel.user_id is not null as is_panel_user
    from event_days
    inner join window_span
        on
            event_days.event_date < window_span.last_cutoff_date
            and event_days.event_date >= window_span.panel_start_date
    left join panel on event_days.user_id = panel.user_id
    where panel.user_id is not null or event_days.event_date >= window_span.everyone_start_date

),

days as (

    select distinct event_date from user_days

),

-- every day of each past window
window_days as (

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.is_scoring,
        days.event_date
    from feature_windows
    inner join days
        on
            feature_windows.start_date <= days.event_date
            and feature_windows.cutoff_date > days.event_date

),

-- per user and window: the days active in the past window, and the fewest days since the user's last event
-- of each kind in the history window (int_user_event_features sums that history once for every event): the
-- last event of any kind is the latest of them. One aggregation over both.
recent as (

    select
        cutoff_at,
        past_days,
        user_id,
        min(days_since_last_event) as days_since_last_event,
        count(event_date) as active_days
    from (
        select
            window_days.cutoff_at,
            window_days.past_days,
            user_days.user_id,
            user_days.event_date,
            null as days_since_last_event
        from user_days
        inner join window_days
            on
                user_days.event_date = window_days.event_date
                and (window_days.is_scoring or user_days.is_panel_user)

        union all

        select
            cutoff_at,
            past_days,
            user_id,
            null as event_date,
            lifetime_days_since_last as days_since_last_event
        from event_features
    ) as user_rows
    group by 1, 2, 3

),

-- every user seen before the cutoff (their first event may be older than the history window): every user
-- at the scoring cutoff, the panel's at the training cutoffs
window_users as (

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.history_days,
        feature_windows.is_scoring,
        users.user_id,
        users.first_event_at
    from feature_windows
    inner join users on feature_windows.cutoff_at > users.first_event_at
    where feature_windows.is_scoring

    union all

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.history_days,
        feature_windows.is_scoring,
        users.user_id,
        users.first_event_at
    from feature_windows
    inner join users on feature_windows.cutoff_at > users.first_event_at
    inner join panel on users.user_id = panel.user_id
    where not feature_windows.is_scoring

),

history as (

    select
        window_users.*,
        recent.days_since_last_event,
        coalesce(recent.active_days, 0) as active_days
    from window_users
    left join recent
        on
            window_users.cutoff_at = recent.cutoff_at
            and window_users.past_days = recent.past_days
            and window_users.user_id = recent.user_id

),

final as (

    select
        history.cutoff_at,
        history.past_days,
        history.user_id,
        {%- for attribute in categorical_attributes() %}
            attributes.{{ adapter.quote(attribute) }} as {{ adapter.quote('attribute_' ~ attribute) }},
        {%- endfor %}
        {%- if var('persona_as_feature', false) | as_bool %}
            cast(personas.persona_id as {{ dbt.type_string() }}) as attribute_persona,
        {%- endif %}
        least({{ days_between('history.first_event_at', 'history.cutoff_at') }}, history.history_days)
            as tenure_days,
        -- no event in the history window: at least history_days ago
        coalesce(least(history.days_since_last_event, history.history_days), history.history_days)
            as days_since_last_event,
        history.active_days,
        case when not history.is_scoring then state.training_rows_key end as training_rows_key

    from history
    cross join state
    {%- if categorical_attributes() %}
    left join attributes on history.user_id = attributes.user_id
    {%- endif %}
    {%- if var('persona_as_feature', false) | as_bool %}
    left join personas
        on
            history.cutoff_at = personas.cutoff_at
            and history.user_id = personas.user_id
    {%- endif %}

)

select * from final
