-- The labelled rows each segment's model trains and validates on: at most `max_training_rows_per_segment`
-- per segment, sampled deterministically (by a hash of user and cutoff) so the Python model's memory is
-- bounded whatever the size of the events.
--
-- With refit_every_days > 1 (on DuckDB) the table is incremental: a night keeps the rows of each segment
-- whose fit_key (int_training_state, carried by the labels) is unchanged and samples the others again.
{{ config(
    materialized='incremental' if target.type != 'spark' and int_var('refit_every_days', 1) > 1 else 'table',
    incremental_strategy='keep_segments',
    on_schema_change='fail'
) }}
{%- set kept = kept_segments(this) if is_incremental() else [] %}
-- depends_on: {{ ref('int_training_state') }}
with

labels as (

    select * from {{ ref('int_segment_labels') }}
    {%- if kept %}
        where not ({{ segments_condition(kept) }})
    {%- endif %}

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
        labels.fit_key,
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
    label,
    fit_key
from ranked
where sample_rank <= {{ int_var('max_training_rows_per_segment', 100) }}
