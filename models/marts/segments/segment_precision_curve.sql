-- The precision <-> audience-size trade-off behind a "precision level" slider: per segment, on the
-- validation cutoff (out of time), 100 score thresholds, one per audience share of 1 %, 2 %, ... 100 % of
-- the validation users, with the precision, recall and lift each would have given.
with

scores as (

    select * from {{ ref('int_segment_scores') }}
    where model_role = 'validation'

),

by_score as (

    -- one row per distinct score: admitting a score admits every user who has it
    select
        segment_name,
        probability as threshold,
        count(*) as user_count,
        sum(label) as positives
    from scores
    group by 1, 2

),

cumulative as (

    select
        segment_name,
        threshold,
        sum(user_count) over (partition by segment_name order by threshold desc) as audience_count,
        sum(positives) over (partition by segment_name order by threshold desc) as true_positives,
        sum(user_count) over (partition by segment_name) as total_users,
        sum(positives) over (partition by segment_name) as total_positives
    from by_score

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

points as (

    {{ number_rows(1, 100, 'point_number') }}

),

targets as (

    select distinct
        cumulative.segment_name,
        points.point_number,
        cast(ceil(points.point_number * cumulative.total_users / 100.0) as bigint) as target_count
    from cumulative
    cross join points

),

chosen as (

    -- the highest threshold whose audience reaches the target share
    select
        targets.segment_name,
        targets.point_number,
        min(cumulative.audience_count) as audience_count
    from targets
    inner join cumulative
        on
            targets.segment_name = cumulative.segment_name
            and targets.target_count <= cumulative.audience_count
    group by 1, 2

),

final as (

    select
        chosen.segment_name,
        span.as_of_date,
        {{ run_id() }} as run_id,
        cast(chosen.point_number as bigint) as point_number,
        cumulative.threshold,
        cast(cumulative.audience_count as bigint) as audience_count,
        cast(cumulative.audience_count as double) / cumulative.total_users as audience_share,
        cast(cumulative.true_positives as double) / cumulative.audience_count as precision,
        cast(cumulative.true_positives as double) / nullif(cumulative.total_positives, 0) as recall,
        (cast(cumulative.true_positives as double) / cumulative.audience_count)
        / nullif(cast(cumulative.total_positives as double) / cumulative.total_users, 0) as lift
    from chosen
    cross join span
    inner join cumulative
        on
            chosen.segment_name = cumulative.segment_name
            and chosen.audience_count = cumulative.audience_count

)

select * from final
