-- Who is in each segment today: users at or above the threshold, ranked by score, each with the three
-- model terms that raise their score most (contribution = coefficient x standardized value, so relative
-- to an average training user), as readable reasons, and whether they are in the segment's holdout (kept
-- out of campaigns to measure uplift; see the holdout_share var).
with

scores as (

    select * from {{ ref('segment_scores') }}
    where is_member

),

terms as (

    select * from {{ ref('segment_models') }}
    where model_role = 'scoring' and term_kind in ('event', 'user', 'attribute')

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}
    where cutoff_role = 'scoring'

),

-- the features of the scoring windows only (the members' own)
scored_windows as (

    select distinct
        cutoff_at,
        past_days
    from cutoffs

),

event_features as (

    {{ features_in_windows(ref('int_user_event_features'), 'scored_windows') }}

),

user_features as (

    {{ features_in_windows(ref('int_user_features'), 'scored_windows') }}

),

members as (

    select
        scores.*,
        cutoffs.past_days,
        row_number()
            over (partition by scores.segment_name order by scores.score desc, scores.user_id asc)
            as member_rank
    from scores
    inner join cutoffs on scores.segment_name = cutoffs.segment_name

),

contributions as (

    select
        members.segment_name,
        members.user_id,
        terms.coefficient * {{ standardize('terms',
            "case when terms.term_kind = 'event' then " ~ event_feature_value('terms', 'event_features')
            ~ " else " ~ user_feature_value('terms', 'user_features') ~ " end") }} as contribution,
        {{ reason_text('terms', 'event_features', 'user_features', 'members.past_days') }} as reason
    from members
    inner join terms on members.segment_name = terms.segment_name
    left join user_features
        on
            members.cutoff_at = user_features.cutoff_at
            and members.past_days = user_features.past_days
            and members.user_id = user_features.user_id
    left join event_features
        on
            members.cutoff_at = event_features.cutoff_at
            and members.past_days = event_features.past_days
            and members.user_id = event_features.user_id
            and terms.event_name = event_features.event_name

),

reasons as (

    -- a feature can enter as more than one term (log and linear): one reason each
    select
        segment_name,
        user_id,
        reason,
        sum(contribution) as contribution
    from contributions
    group by 1, 2, 3

),

top_reasons as (

    select
        segment_name,
        user_id,
        reason,
        row_number() over (
            partition by segment_name, user_id order by contribution desc, reason asc
        ) as reason_rank
    from reasons
    where contribution > 0

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
        max(case when top_reasons.reason_rank = 1 then top_reasons.reason end) as reason_1,
        max(case when top_reasons.reason_rank = 2 then top_reasons.reason end) as reason_2,
        max(case when top_reasons.reason_rank = 3 then top_reasons.reason end) as reason_3
    from members
    left join top_reasons
        on
            members.segment_name = top_reasons.segment_name
            and members.user_id = top_reasons.user_id
            and top_reasons.reason_rank <= 3
    group by 1, 2, 3, 4, 5, 6, 7

)

select * from final
