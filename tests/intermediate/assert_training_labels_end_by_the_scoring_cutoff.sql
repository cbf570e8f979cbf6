-- Every training cutoff's future window must be over by the scoring cutoff (so its labels are fully
-- observed and never read a day after as_of). Returns the offending cutoffs.
with

cutoffs as (

    select * from {{ ref('int_cutoffs') }}

),

scoring as (

    select
        segment_name,
        cutoff_at as scoring_cutoff_at
    from cutoffs
    where cutoff_role = 'scoring'

)

select cutoffs.*
from cutoffs
inner join scoring on cutoffs.segment_name = scoring.segment_name
where
    cutoffs.cutoff_role = 'training'
    and cutoffs.labels_end_at > scoring.scoring_cutoff_at
