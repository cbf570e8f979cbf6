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

tile_uppers as (

    select
        segment_name,
        tile,
        max(score) as score_upper
    from tiles
    group by 1, 2

),

tile_bounds as (

    select
        *,
        lag(score_upper) over (partition by segment_name order by tile) as previous_upper
    from tile_uppers

),

-- a bin per distinct tile top, holding the scores above the one below it. A score lies between its own
-- tile's top and the top of the tile before; it belongs to that earlier top's bin when it equals it (the
-- tiles then share a score), to its own tile's otherwise. Counted per tile rather than by joining every
-- score to the bins' ranges.
counted as (

    select
        tiles.segment_name,
        tiles.as_of_date,
        tiles.run_id,
        case
            when tiles.score = tile_bounds.previous_upper then tile_bounds.previous_upper
            else tile_bounds.score_upper
        end as score_upper,
        count(*) as user_count
    from tiles
    inner join tile_bounds
        on
            tiles.segment_name = tile_bounds.segment_name
            and tiles.tile = tile_bounds.tile
    group by 1, 2, 3, 4

),

final as (

    select
        segment_name,
        as_of_date,
        cast(row_number() over (partition by segment_name order by score_upper) as bigint) as bin_number,
        run_id,
        lag(score_upper) over (partition by segment_name order by score_upper) as score_lower,
        score_upper,
        user_count,
        cast(user_count as double) / sum(user_count) over (partition by segment_name) as user_share
    from counted

)

select * from final
