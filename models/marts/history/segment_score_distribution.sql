-- Every night's distribution of each segment's scores over its whole population (segment_scores): ten
-- bins of (nearly) equal counts, split at the night's score deciles (users with equal scores share a
-- bin, so there may be fewer than ten). segment_stability compares the next night's scores with these
-- bins (the population stability index), and the report plots them.
-- depends_on: {{ ref('int_data_span') }}
with

scores as (

    select
        segment_name,
        as_of_date,
        run_id,
        score
    from {{ ref('segment_scores') }}

),

tiles as (

    select
        *,
        ntile(10) over (partition by segment_name order by score) as tile
    from scores

),

uppers as (

    select distinct
        segment_name,
        as_of_date,
        run_id,
        max(score) over (partition by segment_name, tile) as score_upper
    from tiles

),

bins as (

    select
        *,
        cast(row_number() over (partition by segment_name order by score_upper) as bigint) as bin_number,
        lag(score_upper) over (partition by segment_name order by score_upper) as score_lower
    from uppers

),

counted as (

    select
        bins.segment_name,
        bins.bin_number,
        count(*) as user_count
    from bins
    inner join scores
        on
            bins.segment_name = scores.segment_name
            and bins.score_upper >= scores.score
            and (bins.score_lower is null or bins.score_lower < scores.score)
    group by 1, 2

),

final as (

    select
        bins.segment_name,
        bins.as_of_date,
        bins.bin_number,
        bins.run_id,
        bins.score_lower,
        bins.score_upper,
        counted.user_count,
        cast(counted.user_count as double) / sum(counted.user_count) over (partition by bins.segment_name) as user_share
    from bins
    inner join counted
        on
            bins.segment_name = counted.segment_name
            and bins.bin_number = counted.bin_number

)

select * from final
