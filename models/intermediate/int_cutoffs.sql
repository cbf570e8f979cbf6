-- Per segment, the moments (P2) at which features are measured: the scoring cutoff (the midnight after
-- as_of) and the past training cutoffs whose whole future window is already observed. Training cutoff k
-- (1 = newest) sits future_days + (k - 1) * cutoff_stride_days days before tonight's refit day
-- (int_refit_days: the scoring cutoff, or that of the night that last refit), so its label window
-- [cutoff, cutoff + future_days) ends at or before the scoring cutoff.
--
-- The newest `training_cutoffs` are the model cutoffs (the scoring model is fit on them). Behind them lie
-- 2 x ceil(future_days / cutoff_stride_days) more: purged validation needs a model whose labels end
-- future_days before the cutoff it predicts (as in production), and the backtest one such step more.
--
-- A training cutoff needs `min_history_days` of data before it; earlier ones are skipped (counted in
-- skipped_training_cutoffs for model cutoffs, explained in the segment's status). A past window that
-- starts before the data is all the history there is.
--
-- history_days (H) is how far lifetime features look back: the history the oldest usable model cutoff of
-- any segment has (at most `max_history_days`), the same at every cutoff, so scoring rows never see a
-- longer history than the model's training rows did. `past_days: all` means H, and no past window
-- exceeds H. (The deeper validation cutoffs may see less than H: all the history there is.)
with

definitions as (

    select * from {{ ref('int_segment_definitions') }}

),

span as (

    select
        data_span.*,
        refit_days.refit_anchor_at
    from {{ ref('int_data_span') }} as data_span
    inner join {{ ref('int_refit_days') }} as refit_days
        on data_span.scoring_cutoff_at = refit_days.scoring_cutoff_at

),

{%- set stride = int_var('cutoff_stride_days', 1) %}
{%- set longest_future_days = ([1] + get_segments() | map(attribute='future_days') | list) | max %}
{%- set deepest = int_var('training_cutoffs', 2) + 2 * ((longest_future_days + stride - 1) // stride) %}

cutoff_numbers as (

    {{ number_rows(0, deepest, 'cutoff_number') }}

),

candidates as (

    select
        definitions.segment_name,
        cutoff_numbers.cutoff_number,
        span.as_of_date,
        span.data_start_date,
        definitions.past_days as configured_past_days,
        definitions.future_days,
        case when cutoff_numbers.cutoff_number = 0 then 'scoring' else 'training' end as cutoff_role,
        {{ dbt.dateadd(
            'day',
            "-1 * case when cutoff_numbers.cutoff_number = 0 then 0 else definitions.future_days
                + (cutoff_numbers.cutoff_number - 1) * " ~ int_var('cutoff_stride_days', 1) ~ " end",
            'case when cutoff_numbers.cutoff_number = 0 then span.scoring_cutoff_at else span.refit_anchor_at end'
        ) }} as cutoff_at

    from definitions
    cross join span
    inner join cutoff_numbers
        on
            cutoff_numbers.cutoff_number <= {{ int_var('training_cutoffs', 2) }}
            + 2 * cast(ceil(definitions.future_days * 1.0 / {{ stride }}) as integer)

),

dated as (

    select
        *,
        {{ dbt.datediff('data_start_date', 'cutoff_at', 'day') }} as days_of_data  -- noqa: LT05
    from candidates

),

judged as (

    select
        *,
        cutoff_number between 1 and {{ int_var('training_cutoffs', 2) }} as is_model_cutoff,
        cutoff_role = 'scoring' or days_of_data >= {{ int_var('min_history_days', 1) }} as is_usable
    from dated

),

history as (

    select
        least(
            {{ int_var('max_history_days', 1) }},
            coalesce(
                min(case when is_model_cutoff and is_usable then days_of_data end),
                max(case when cutoff_role = 'scoring' then days_of_data end)
            )
        ) as history_days
    from judged

),

skipped as (

    select
        segment_name,
        count(case when is_model_cutoff and not is_usable then 1 end) as skipped_training_cutoffs,
        count(case when not is_model_cutoff and not is_usable then 1 end) as skipped_validation_cutoffs
    from judged
    group by 1

),

usable as (

    select
        judged.segment_name,
        judged.cutoff_at,
        judged.cutoff_role,
        judged.cutoff_number,
        judged.is_model_cutoff,
        judged.as_of_date,
        judged.data_start_date,
        cast(least(coalesce(judged.configured_past_days, history.history_days), history.history_days) as integer)
            as past_days,
        judged.future_days,
        cast(history.history_days as integer) as history_days,
        skipped.skipped_training_cutoffs,
        skipped.skipped_validation_cutoffs

    from judged
    cross join history
    inner join skipped on judged.segment_name = skipped.segment_name
    where judged.is_usable

),

final as (

    select
        *,
        {{ dbt.dateadd('day', '-past_days', 'cutoff_at') }} as features_start_at,
        {{ dbt.dateadd('day', '-history_days', 'cutoff_at') }} as history_start_at,
        {{ dbt.dateadd('day', 'future_days', 'cutoff_at') }} as labels_end_at
    from usable

)

select * from final
