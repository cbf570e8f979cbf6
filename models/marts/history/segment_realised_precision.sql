{{ config(
    incremental_strategy='insert_overwrite' if target.type == 'spark' else 'delete+insert',
    unique_key=['segment_name', 'as_of_date'],
    partition_by=['as_of_date', 'segment_name'] if target.type == 'spark' else none
) }}
-- The promise checked against what happened: every published night whose future window has fully
-- elapsed (as_of_date + future_days <= this run's as_of_date), judged on the events of that window. The
-- segment as it was published that night (segment_membership_history) and its population (recounted with
-- that night's definition and past window) get their labels by the rule of the training labels; then
-- realised precision with a Wilson 95 % interval, recall and the base rate, next to the precision
-- promised and expected that night. The production counterpart of the backtest in segment_model_report.
--
-- Incremental: a night is judged on the first run whose data covers its window (judged_as_of_date), and
-- judged again (keeping that date) only when its members are republished (that night is rerun) or the
-- judging night is rerun; with the same data both give the same figures.
with

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

model_history as (

    select * from {{ ref('segment_model_history') }}
    where term_order = 0

),

membership_history as (

    select * from {{ ref('segment_membership_history') }}

),

users as (

    select
        user_id,
        first_event_at
    from {{ ref('int_users') }}

),

-- read by the population and the outcomes, each joined to its own days: computed for each, the joins'
-- bounds reach the scan of the daily rollup; computed once, every user's every day was held in memory
daily_events as {{ materialized_cte(false) }} (

    select * from {{ ref('int_user_daily_events') }}

),

nights as (

    select
        model_history.*,
        {{ population_event('model_history.population', 'model_history.target_event',
                            'model_history.eligible_event') }} as population_event,
        cast({{ dbt.dateadd('day', 'model_history.future_days', 'model_history.as_of_date') }} as date)
            as window_end_date
    from model_history
    cross join span
    where
        model_history.is_scored
        and {{ dbt.dateadd('day', 'model_history.future_days', 'model_history.as_of_date') }} <= span.as_of_date

),

to_judge as (

    {%- if is_incremental() %}
    select
        nights.*,
        judged.judged_as_of_date as first_judged_as_of_date
    from nights
    cross join span
    left join {{ this }} as judged
        on
            nights.segment_name = judged.segment_name
            and nights.as_of_date = judged.as_of_date
    where
        judged.segment_name is null
        or judged.published_run_id != nights.run_id
        or judged.judged_as_of_date = span.as_of_date
    {%- else %}
        select
            *,
            cast(null as date) as first_judged_as_of_date
        from nights
    {%- endif %}

),

members as (

    select
        membership_history.segment_name,
        membership_history.as_of_date,
        membership_history.user_id,
        membership_history.is_holdout
    from membership_history
    inner join to_judge
        on
            membership_history.segment_name = to_judge.segment_name
            and membership_history.as_of_date = to_judge.as_of_date

),

population_by_event as (

    select distinct
        to_judge.segment_name,
        to_judge.as_of_date,
        daily_events.user_id
    from to_judge
    inner join daily_events
        on
            to_judge.population_event = daily_events.event_name
            and to_judge.as_of_date >= daily_events.event_date
            -- a date, as the column is: a timestamp bound would convert every stored day to compare it
            and daily_events.event_date
            > cast({{ dbt.dateadd('day', '-to_judge.past_days', 'to_judge.as_of_date') }} as date)

),

population_by_first_seen as (

    select
        to_judge.segment_name,
        to_judge.as_of_date,
        users.user_id
    from to_judge
    inner join users on cast(users.first_event_at as date) <= to_judge.as_of_date
    where to_judge.population_event is null

),

population as (

    -- the night's members always count (the recount could only miss one if the events changed since)
    select * from population_by_event
    union
    select * from population_by_first_seen
    union
    select
        segment_name,
        as_of_date,
        user_id
    from members

),

outcomes as (

    select
        to_judge.segment_name,
        to_judge.as_of_date,
        daily_events.user_id,
        sum(daily_events.event_count) as target_event_count,
        sum(daily_events.value_sum) as target_value_sum
    from to_judge
    inner join daily_events
        on
            to_judge.target_event = daily_events.event_name
            and to_judge.as_of_date < daily_events.event_date
            and to_judge.window_end_date >= daily_events.event_date
    group by 1, 2, 3

),

labelled as (

    select
        population.segment_name,
        population.as_of_date,
        population.user_id,
        members.user_id is not null as is_member,
        coalesce(members.is_holdout, false) as is_holdout,
        {{ segment_label('to_judge.direction', did_target_event(
            'outcomes.target_event_count', 'outcomes.target_value_sum', 'to_judge.min_value')) }} as label
    from population
    inner join to_judge
        on
            population.segment_name = to_judge.segment_name
            and population.as_of_date = to_judge.as_of_date
    left join members
        on
            population.segment_name = members.segment_name
            and population.as_of_date = members.as_of_date
            and population.user_id = members.user_id
    left join outcomes
        on
            population.segment_name = outcomes.segment_name
            and population.as_of_date = outcomes.as_of_date
            and population.user_id = outcomes.user_id

),

counted as (

    select
        segment_name,
        as_of_date,
        count(*) as eligible_users,
        count(case when label = 1 then 1 end) as positives,
        count(case when is_member then 1 end) as audience_size,
        count(case when is_member and label = 1 then 1 end) as true_positives,
        count(case when is_member and is_holdout then 1 end) as holdout_size,
        count(case when is_member and is_holdout and label = 1 then 1 end) as holdout_true_positives
    from labelled
    group by 1, 2

),

judged as (

    select
        to_judge.segment_name,
        to_judge.as_of_date,
        {{ run_id() }} as run_id,
        coalesce(to_judge.first_judged_as_of_date, span.as_of_date) as judged_as_of_date,
        to_judge.run_id as published_run_id,
        to_judge.direction,
        to_judge.target_event,
        to_judge.future_days,
        cast({{ dbt.dateadd('day', 1, 'to_judge.as_of_date') }} as date) as window_start_date,
        to_judge.window_end_date,
        to_judge.requested_precision as promised_precision,
        to_judge.expected_precision,
        to_judge.expected_precision_low,
        to_judge.expected_precision_high,
        coalesce(counted.eligible_users, 0) as eligible_users,
        coalesce(counted.positives, 0) as positives,
        coalesce(counted.audience_size, 0) as audience_size,
        coalesce(counted.true_positives, 0) as true_positives,
        cast(counted.true_positives as double) / nullif(counted.audience_size, 0) as realised_precision,
        {{ wilson_bound('cast(counted.true_positives as double)', 'nullif(counted.audience_size, 0)', 1.96) }}
            as realised_precision_low,
        {{ wilson_bound('cast(counted.true_positives as double)', 'nullif(counted.audience_size, 0)', -1.96) }}
            as realised_precision_high,
        cast(counted.true_positives as double) / nullif(counted.positives, 0) as realised_recall,
        cast(counted.positives as double) / nullif(counted.eligible_users, 0) as realised_base_rate,
        coalesce(counted.holdout_size, 0) as holdout_size,
        cast(counted.holdout_true_positives as double) / nullif(counted.holdout_size, 0) as holdout_realised_precision
    from to_judge
    cross join span
    left join counted
        on
            to_judge.segment_name = counted.segment_name
            and to_judge.as_of_date = counted.as_of_date

),

final as (

    select
        *,
        realised_precision_high < promised_precision as is_promise_missed
    from judged

)

select * from final
