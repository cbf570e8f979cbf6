-- Every (cutoff, past window) the feature layer computes: the windows of the segments' cutoffs
-- (int_cutoffs), and the persona window (persona_past_days, at most history_days) at the scoring cutoff
-- and at each segment's newest labelled cutoff (where personas are checked against outcomes), or at
-- every cutoff when personas are a model feature (persona_as_feature). One row per cutoff and past_days,
-- with what a training cutoff's rows are a function of (int_training_state), so that a night can tell the
-- windows whose features it keeps.
with

cutoffs as (

    select * from {{ ref('int_cutoffs') }}

),

-- what the training cutoffs' rows are a function of (the same for every segment)
state as (

    select max(training_data_key) as training_data_key from {{ ref('int_training_state') }}

),

segment_windows as (

    select distinct
        cutoff_at,
        cutoff_role,
        past_days,
        history_days,
        features_start_at,
        history_start_at,
        false as is_persona_window
    from cutoffs

),

persona_windows as (

    select distinct
        cutoff_at,
        cutoff_role,
        cast(least({{ int_var('persona_past_days', 1) }}, history_days) as integer) as past_days,
        history_days,
        {{ dbt.dateadd('day', '-least(' ~ int_var('persona_past_days', 1) ~ ', history_days)', 'cutoff_at') }}
            as features_start_at,
        history_start_at,
        true as is_persona_window
    from cutoffs
    {%- if not var('persona_as_feature', false) | as_bool %}
        where cutoff_role = 'scoring' or cutoff_number = 1
    {%- endif %}

),

windows as (

    select
        cutoff_at,
        cutoff_role,
        past_days,
        history_days,
        features_start_at,
        history_start_at,
        max(is_persona_window) as is_persona_window
    from (
        select * from segment_windows
        union all
        select * from persona_windows
    ) as windows
    group by 1, 2, 3, 4, 5, 6

),

keyed as (

    select
        windows.*,
        case when windows.cutoff_role = 'training' then state.training_data_key end as training_data_key
    from windows
    cross join state

)

select * from keyed
