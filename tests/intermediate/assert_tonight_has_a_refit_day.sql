-- Tonight's scoring cutoff has a row in the log of refit days. The training cutoffs, the panel and the
-- training keys read tonight's refit day from it: without the row they would hold no training cutoff at
-- all (a build that selected int_data_span but not int_refit_days after a change of as_of).
select
    data_span.as_of_date,
    data_span.scoring_cutoff_at
from {{ ref('int_data_span') }} as data_span
left join {{ ref('int_refit_days') }} as refit_days
    on data_span.scoring_cutoff_at = refit_days.scoring_cutoff_at
where refit_days.scoring_cutoff_at is null
