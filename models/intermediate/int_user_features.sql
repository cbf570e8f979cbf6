-- User-level features at every (cutoff, past window) of int_feature_windows (the segments' and the
-- personas'): tenure, active days in the past window, days since the last event of any kind, and the
-- categorical user attributes. One row per
-- user seen (any event) before the cutoff; training cutoffs cover the users of int_training_panel only.
-- Tenure and days since the last event are capped at history_days (see int_cutoffs), the history every
-- cutoff has, so scoring rows stay inside the range training rows cover: only the history window's days
-- of the daily rollup int_user_event_days are read, and the first event from int_users. Per-event features
-- live in int_user_event_features.
with

cutoffs as (

    select * from {{ ref('int_feature_windows') }}

),

event_days as (

    select * from {{ ref('int_user_event_days') }}

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
        min(history_start_date) as panel_start_date,
        min(case when is_scoring then history_start_date end) as everyone_start_date,
        -- the shared history: days every history window holds and no past window does (see
        -- int_user_event_features)
        max(history_start_date) as shared_start_date,
        min(start_date) as shared_end_date
    from feature_windows

),

-- the days each user was active on, inside the history windows the user needs
user_days as (

    select
        event_days.user_id,
        event_days.event_date,
        panel.user_id is not null as is_panel_user,
        max(event_days.last_event_at) as last_event_at
    from event_days
    inner join window_span
        on
            event_days.event_date < window_span.last_cutoff_date
            and event_days.event_date >= window_span.panel_start_date
    left join panel on event_days.user_id = panel.user_id
    where panel.user_id is not null or event_days.event_date >= window_span.everyone_start_date
    group by 1, 2, 3

),

days as (

    select distinct event_date from user_days

),

-- every day of each history window outside the shared history
window_days as (

    select
        feature_windows.*,
        days.event_date
    from feature_windows
    inner join days
        on
            feature_windows.history_start_date <= days.event_date
            and feature_windows.cutoff_date > days.event_date
    cross join window_span
    where days.event_date < window_span.shared_start_date or days.event_date >= window_span.shared_end_date

),

-- each user's last event in the shared history, found once for every window
shared_history as (

    select
        user_days.user_id,
        user_days.is_panel_user,
        max(user_days.last_event_at) as last_event_at
    from user_days
    cross join window_span
    where
        user_days.event_date >= window_span.shared_start_date
        and user_days.event_date < window_span.shared_end_date
    group by 1, 2

),

window_rows as (

    select
        window_days.cutoff_at,
        window_days.past_days,
        window_days.start_date,
        user_days.user_id,
        user_days.event_date,
        user_days.last_event_at
    from user_days
    inner join window_days
        on
            user_days.event_date = window_days.event_date
            and (window_days.is_scoring or user_days.is_panel_user)

    union all

    -- the shared history as one more row per window, outside its past window
    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.start_date,
        shared_history.user_id,
        null as event_date,
        shared_history.last_event_at
    from shared_history
    inner join feature_windows on feature_windows.is_scoring or shared_history.is_panel_user

),

recent as (

    select
        cutoff_at,
        past_days,
        user_id,
        max(last_event_at) as last_event_at,
        count(case when event_date >= start_date then 1 end) as active_days
    from window_rows
    group by 1, 2, 3

),

-- every user seen before the cutoff (their first event may be older than the history window)
history as (

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.history_days,
        users.user_id,
        users.first_event_at,
        recent.last_event_at,
        coalesce(recent.active_days, 0) as active_days
    from feature_windows
    inner join users on feature_windows.cutoff_at > users.first_event_at
    left join panel on users.user_id = panel.user_id
    left join recent
        on
            feature_windows.cutoff_at = recent.cutoff_at
            and feature_windows.past_days = recent.past_days
            and users.user_id = recent.user_id
    where feature_windows.is_scoring or panel.user_id is not null

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
        coalesce(
            least({{ days_between('history.last_event_at', 'history.cutoff_at') }}, history.history_days),
            history.history_days
        ) as days_since_last_event,
        history.active_days

    from history
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
