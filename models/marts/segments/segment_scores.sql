-- Today's probability for every user eligible for each segment (at the scoring cutoff, the midnight after
-- as_of), from the coefficient rows of segment_models applied in SQL, and whether it clears the
-- segment's threshold.
with

scores as (

    select * from {{ ref('int_segment_scores') }}
    where model_role = 'scoring'

),

models as (

    select distinct
        segment_name,
        status,
        threshold
    from {{ ref('segment_models') }}

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
        coalesce(models.status = 'ok' and scores.probability >= models.threshold, false) as is_member
    from scores
    inner join models on scores.segment_name = models.segment_name
    inner join cutoffs on scores.segment_name = cutoffs.segment_name

)

select * from final
