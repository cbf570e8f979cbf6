-- User-level features at every (cutoff, past window) of int_feature_windows (the segments' and the
-- personas'): tenure, active days in the past window, days since the last event of any kind, and the
-- categorical user attributes. One row per
-- user seen (any event) before the cutoff; training cutoffs cover the users of int_training_panel only.
-- Tenure and days since the last event are capped at history_days (see int_cutoffs), the history every
-- cutoff has, so scoring rows stay inside the range training rows cover. Per-event features live in
-- int_user_event_features.
with

cutoffs as (

    select * from {{ ref('int_feature_windows') }}

),

events as (

    select * from {{ ref('stg_events') }}

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
        features_start_at,
        cutoff_role = 'scoring' as is_scoring
    from cutoffs

),

user_days as (

    select
        events.user_id,
        cast(events.event_at as date) as activity_date,
        panel.user_id is not null as is_panel_user,
        min(events.event_at) as first_event_at,
        max(events.event_at) as last_event_at
    from events
    left join panel on events.user_id = panel.user_id
    group by 1, 2, 3

),

history as (

    select
        feature_windows.cutoff_at,
        feature_windows.past_days,
        feature_windows.history_days,
        user_days.user_id,
        min(user_days.first_event_at) as first_event_at,
        max(user_days.last_event_at) as last_event_at,
        count(
            case when user_days.activity_date >= cast(feature_windows.features_start_at as date) then 1 end
        ) as active_days

    from user_days
    inner join feature_windows
        -- cutoffs are midnights, so a day lies wholly before a cutoff or wholly at or after it
        on
            user_days.activity_date < cast(feature_windows.cutoff_at as date)
            and (feature_windows.is_scoring or user_days.is_panel_user)
    group by 1, 2, 3, 4

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
        least({{ days_between('history.last_event_at', 'history.cutoff_at') }}, history.history_days)
            as days_since_last_event,
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
