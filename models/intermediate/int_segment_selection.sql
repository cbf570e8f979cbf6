-- Per segment, today's audience by its threshold rule (see docs/modeling.md), from every eligible user's
-- calibrated probability (int_segment_scores):
--   * expected: the largest top-k by probability (ties together, at least min_predicted_positives users)
--     whose expected precision (mean probability) has a Wilson lower bound at expected_precision_z that
--     meets the requested precision; if none does but a threshold reaches the request on the labelled
--     cutoff, that threshold (moved to the calibrated scale: the same users as before the offset);
--   * wilson / point: the threshold segment_models carries over from the newest labelled cutoff.
-- Also what the audience promises: its expected precision with a 95 % Wilson interval, and the base rate
-- the calibrated model expects over everyone eligible today.
with

scores as (

    select * from {{ ref('int_segment_scores') }}
    where model_role = 'scoring'

),

models as (

    select
        segment_name,
        status,
        threshold_rule,
        threshold as labelled_threshold,
        least(threshold, 1 - 1e-12) as bounded_threshold,
        coalesce(calibration_offset, 0) as calibration_offset,
        requested_precision,
        expected_z
    from {{ ref('segment_models') }}
    where term_order = 0 and model_role in ('scoring', 'none')

),

settings as (

    -- the labelled threshold t holds on the uncalibrated scale (logit >= ln t - ln(1 - t)); the same
    -- users on the calibrated scale, for rule expected's fallback
    select
        *,
        1.0 / (1.0 + exp(-(ln(bounded_threshold) - ln(1 - bounded_threshold) + calibration_offset)))
            as labelled_threshold_calibrated
    from models

),

by_score as (

    -- one row per distinct probability: admitting a probability admits every user who has it
    select
        segment_name,
        probability,
        count(*) as user_count,
        sum(cast(round(probability * 1099511627776.0) as bigint)) as quantized_probability_sum
    from scores
    group by 1, 2

),

cumulative as (

    select
        segment_name,
        probability,
        sum(user_count) over (
            partition by segment_name order by probability desc rows unbounded preceding
        ) as audience_size,
        cast(sum(quantized_probability_sum) over (
            partition by segment_name order by probability desc rows unbounded preceding
        ) as double) / 1099511627776.0 as expected_true_positives,
        sum(user_count) over (partition by segment_name) as eligible_users,
        cast(sum(quantized_probability_sum) over (partition by segment_name) as double) / 1099511627776.0
            as expected_positives
    from by_score

),

judged as (

    select
        cumulative.*,
        settings.requested_precision,
        cumulative.expected_true_positives / cumulative.audience_size as expected_precision,
        {{ wilson_bound('cumulative.expected_true_positives', 'cumulative.audience_size', 'settings.expected_z') }}
            as expected_precision_bound,
        cumulative.audience_size >= {{ int_var('min_predicted_positives', 1) }} as is_big_enough
    from cumulative
    inner join settings on cumulative.segment_name = settings.segment_name

),

thresholds as (

    select
        segment_name,
        min(case when is_big_enough and expected_precision_bound >= requested_precision then probability end)
            as bound_threshold,
        max(eligible_users) as eligible_users,
        max(expected_positives) as expected_positives
    from judged
    group by 1

),

chosen as (

    select
        settings.segment_name,
        settings.status,
        settings.threshold_rule,
        thresholds.eligible_users,
        thresholds.expected_positives / nullif(thresholds.eligible_users, 0) as expected_base_rate_today,
        case
            when settings.status != 'ok' then null
            when settings.threshold_rule != 'expected' then settings.labelled_threshold
            else coalesce(thresholds.bound_threshold, settings.labelled_threshold_calibrated)
        end as threshold
    from settings
    left join thresholds on settings.segment_name = thresholds.segment_name

),

audiences as (

    select
        chosen.segment_name,
        count(scores.user_id) as audience_size,
        {{ quantized_sum('scores.probability') }} as expected_true_positives
    from chosen
    left join scores
        on
            chosen.segment_name = scores.segment_name
            and chosen.threshold <= scores.probability
    group by 1

),

final as (

    select
        chosen.*,
        audiences.audience_size,
        audiences.expected_true_positives / nullif(audiences.audience_size, 0) as expected_precision,
        {{ wilson_bound('audiences.expected_true_positives', 'nullif(audiences.audience_size, 0)', 1.959964) }}
            as expected_precision_low,
        {{ wilson_bound('audiences.expected_true_positives', 'nullif(audiences.audience_size, 0)', -1.959964) }}
            as expected_precision_high
    from chosen
    inner join audiences on chosen.segment_name = audiences.segment_name

)

select * from final
