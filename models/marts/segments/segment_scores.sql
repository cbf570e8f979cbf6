-- Today's probability for every user eligible for each segment (at the scoring cutoff, the midnight after
-- as_of), from the coefficient rows of segment_models applied in SQL, and whether it clears today's
-- threshold (int_segment_selection).
with

scores as (

    select * from {{ ref('int_segment_scores') }}
    where model_role = 'scoring'

),

selection as (

    select
        segment_name,
        threshold
    from {{ ref('int_segment_selection') }}

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}
    where cutoff_role = 'scoring'

),

final as (

    select
        scores.segment_name,
        scores.user_id,
        cutoffs.as_of_date,
        {{ run_id() }} as run_id,
        scores.cutoff_at,
        scores.probability as score,
        coalesce(scores.probability >= selection.threshold, false) as is_member
    from scores
    inner join selection on scores.segment_name = selection.segment_name
    inner join cutoffs on scores.segment_name = cutoffs.segment_name

)

select * from final
