-- Scoring must not extrapolate: tenure and days since the last event are capped at history_days, and at
-- the scoring cutoff tenure never exceeds what the training cutoffs of the same window covered (days since
-- the last event may: users who left keep getting older, up to the cap). The oldest training cutoff's
-- history can begin at the data's first midnight, before its first event: its tenures then stop short of
-- history_days by that event's time of day, which scoring tenures (capped at history_days) may exceed.
-- Returns the violating windows.
with

features as (

    select * from {{ ref('int_user_features') }}

),

cutoffs as (

    select distinct
        cutoff_at,
        past_days,
        history_days,
        cutoff_role
    from {{ ref('int_feature_windows') }}

),

first_day as (

    -- from the data's first midnight to its first event
    select {{ days_between('cast(data_start_date as timestamp)', 'first_event_at') }} as offset_days
    from {{ ref('int_data_span') }}

),

ranges as (

    select
        features.past_days,
        max(cutoffs.history_days) as history_days,
        max(case when cutoffs.cutoff_role = 'scoring' then features.tenure_days end) as scoring_max_tenure,
        max(case when cutoffs.cutoff_role = 'training' then features.tenure_days end) as training_max_tenure,
        max(case when cutoffs.cutoff_role = 'scoring' then features.days_since_last_event end)
            as scoring_max_days_since_last_event
    from features
    inner join cutoffs
        on
            features.cutoff_at = cutoffs.cutoff_at
            and features.past_days = cutoffs.past_days
    group by 1

)

select ranges.*
from ranges
cross join first_day
where
    ranges.scoring_max_tenure > ranges.history_days
    or ranges.scoring_max_days_since_last_event > ranges.history_days
    or ranges.scoring_max_tenure > ranges.training_max_tenure + first_day.offset_days + 1e-9
