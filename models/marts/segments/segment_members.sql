-- Who is in each segment today: users at or above the threshold, ranked by score, each with the three
-- model terms that raise their score most, as readable reasons (int_segment_member_reasons), and whether
-- they are in the segment's holdout (kept out of campaigns to measure uplift; see the holdout_share var).
with

scores as (

    select * from {{ ref('segment_scores') }}
    where is_member

),

reasons as (

    select * from {{ ref('int_segment_member_reasons') }}

),

members as (

    select
        *,
        row_number() over (partition by segment_name order by score desc, user_id asc) as member_rank
    from scores

),

final as (

    select
        members.segment_name,
        members.user_id,
        members.as_of_date,
        members.run_id,
        members.score,
        cast(members.member_rank as bigint) as member_rank,
        {{ is_holdout('members.segment_name', 'members.user_id') }} as is_holdout,
        reasons.reason_1,
        reasons.reason_2,
        reasons.reason_3
    from members
    left join reasons
        on
            members.segment_name = reasons.segment_name
            and members.user_id = reasons.user_id

)

select * from final
