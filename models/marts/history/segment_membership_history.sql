-- Every night's members of every segment, one row per segment, as_of_date and user, with the score, rank
-- and holdout flag they were published with. Incremental (strategy replace_night): a night's rows are
-- replaced when that night is run again and no other night is touched, so reruns and backfills are safe
-- and nothing is ever recomputed from scratch (a full refresh leaves the table alone).
-- depends_on: {{ ref('int_data_span') }}
with

members as (

    select * from {{ ref('segment_members') }}

),

final as (

    select
        segment_name,
        as_of_date,
        user_id,
        run_id,
        score,
        member_rank,
        is_holdout
    from members

)

select * from final
