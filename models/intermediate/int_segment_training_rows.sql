-- The labelled rows each segment's model trains and validates on: at most `max_training_rows_per_segment`
-- per segment, sampled deterministically (by a hash of user and cutoff) so the Python model's memory is
-- bounded whatever the size of the events.
with

labels as (

    select * from {{ ref('int_segment_labels') }}

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}

),

ranked as (

    select
        labels.segment_name,
        labels.cutoff_at,
        cutoffs.cutoff_number,
        cutoffs.past_days,
        labels.user_id,
        labels.label,
        row_number() over (
            partition by labels.segment_name
            order by md5(labels.user_id || '|' || cast(labels.cutoff_at as {{ dbt.type_string() }})), labels.user_id
        ) as sample_rank
    from labels
    inner join cutoffs
        on
            labels.segment_name = cutoffs.segment_name
            and labels.cutoff_at = cutoffs.cutoff_at

)

select
    segment_name,
    cutoff_at,
    cutoff_number,
    past_days,
    user_id,
    label
from ranked
where sample_rank <= {{ int_var('max_training_rows_per_segment', 100) }}
