-- Who entered and who left each segment on this run's night, against the latest earlier night on which
-- the segment was scored (previous_as_of_date): the trigger table for journeys ("send a win-back when a
-- user enters churn_risk_14d"). Entrants carry tonight's score, rank and reasons; leavers their score on
-- the previous night and tonight's (null when they are no longer in the population). A segment that is not
-- scored tonight (insufficient_data, error) has no rows: its members are not "leaving". On a segment's first
-- night every member enters (previous_as_of_date is null). Incremental (replace_night): the rows of a
-- night are what the journeys saw that night; backfilling an older night does not rewrite them.
with

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

model_history as (

    select * from {{ ref('segment_model_history') }}

),

membership_history as (

    select * from {{ ref('segment_membership_history') }}

),

members as (

    select * from {{ ref('segment_members') }}

),

scores as (

    select
        segment_name,
        user_id,
        score
    from {{ ref('segment_scores') }}

),

previous_nights as (

    {{ previous_scored_night('model_history', 'span') }}

),

current_members as (

    select members.*
    from members
    inner join previous_nights on members.segment_name = previous_nights.segment_name

),

previous_members as (

    select membership_history.*
    from membership_history
    inner join previous_nights
        on
            membership_history.segment_name = previous_nights.segment_name
            and membership_history.as_of_date = previous_nights.previous_as_of_date

),

entered as (

    select
        current_members.segment_name,
        current_members.user_id,
        'entered' as change_type,
        current_members.score,
        cast(null as double) as previous_score,
        current_members.member_rank,
        current_members.is_holdout,
        current_members.reason_1,
        current_members.reason_2,
        current_members.reason_3
    from current_members
    left join previous_members
        on
            current_members.segment_name = previous_members.segment_name
            and current_members.user_id = previous_members.user_id
    where previous_members.user_id is null

),

left_segment as (

    select
        previous_members.segment_name,
        previous_members.user_id,
        'left' as change_type,
        scores.score,
        previous_members.score as previous_score,
        cast(null as bigint) as member_rank,
        previous_members.is_holdout,
        cast(null as {{ dbt.type_string() }}) as reason_1,
        cast(null as {{ dbt.type_string() }}) as reason_2,
        cast(null as {{ dbt.type_string() }}) as reason_3
    from previous_members
    left join current_members
        on
            previous_members.segment_name = current_members.segment_name
            and previous_members.user_id = current_members.user_id
    left join scores
        on
            previous_members.segment_name = scores.segment_name
            and previous_members.user_id = scores.user_id
    where current_members.user_id is null

),

final as (

    select
        changes.segment_name,
        span.as_of_date,
        changes.user_id,
        {{ run_id() }} as run_id,
        changes.change_type,
        previous_nights.previous_as_of_date,
        changes.score,
        changes.previous_score,
        changes.member_rank,
        changes.is_holdout,
        changes.reason_1,
        changes.reason_2,
        changes.reason_3
    from (
        select * from entered
        union all
        select * from left_segment
    ) as changes
    cross join span
    inner join previous_nights on changes.segment_name = previous_nights.segment_name

)

select * from final
