-- Applies the coefficient rows of segment_models in SQL: the scoring model to every user eligible at the
-- scoring cutoff, and the validation model to the validation cutoff's rows (for the precision curve and
-- the report). logit = intercept + sum(coefficient * standardized value); probability = 1 / (1 + e^-(logit +
-- calibration_offset)), where the offset (scoring model only) corrects for the drift a model of this
-- staleness showed on the newest labelled cutoff (see docs/modeling.md; 0 for the validation model, whose
-- scores are judged as they are).
-- Users lack rows for events they never did, so the sum is taken as "every term at its fill value" plus,
-- for the rows a user has, the difference their real value makes: the same number, without expanding
-- every user to every term.
with

models as (

    select * from {{ ref('segment_models') }}
    where status in ('ok', 'precision_unreachable')

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}

),

eligibility as (

    select * from {{ ref('int_segment_eligibility') }}
    where cutoff_role = 'scoring'

),

training_rows as (

    select * from {{ ref('int_segment_training_rows') }}

),

validation_cutoffs as (

    select distinct
        segment_name,
        validation_cutoff_number
    from models

),

rows_to_score as (

    select
        eligibility.segment_name,
        'scoring' as model_role,
        eligibility.cutoff_at,
        cutoffs.past_days,
        eligibility.user_id,
        cast(null as integer) as label
    from eligibility
    inner join cutoffs
        on
            eligibility.segment_name = cutoffs.segment_name
            and eligibility.cutoff_at = cutoffs.cutoff_at
    inner join validation_cutoffs on eligibility.segment_name = validation_cutoffs.segment_name

    union all

    select
        training_rows.segment_name,
        'validation' as model_role,
        training_rows.cutoff_at,
        training_rows.past_days,
        training_rows.user_id,
        training_rows.label
    from training_rows
    inner join validation_cutoffs
        on
            training_rows.segment_name = validation_cutoffs.segment_name
            and training_rows.cutoff_number = validation_cutoffs.validation_cutoff_number

),

-- the features of the windows scored only: a join on every cutoff's features cost twice as much
scored_windows as (

    select distinct
        cutoff_at,
        past_days
    from rows_to_score

),

event_features as (

    {{ features_in_windows(ref('int_user_event_features'), 'scored_windows') }}

),

user_features as (

    {{ features_in_windows(ref('int_user_features'), 'scored_windows') }}

),

terms as (

    select
        models.*,
        {{ standardize('models', 'null') }} as fill_z
    from models
    where models.term_kind in ('event', 'user', 'attribute')

),

intercepts as (

    select
        segment_name,
        model_role,
        coefficient as intercept,
        case when model_role = 'scoring' then coalesce(calibration_offset, 0) else 0 end as calibration_offset
    from models
    where term_kind = 'intercept'

),

fill_logits as (

    select
        segment_name,
        model_role,
        {{ quantized_sum('coefficient * fill_z') }} as fill_logit
    from terms
    group by 1, 2

),

event_term_sets as (

    select
        terms.segment_name,
        terms.model_role,
        terms.event_name,
        {{ event_term_columns('terms') }}
    from terms
    where terms.term_kind = 'event'
    group by 1, 2, 3

),

-- each scored row's event features: the features joined to the rows first, then to their model's event
-- terms. Not materialized: holding the joined rows costs more time and memory than streaming them into the
-- sums.
scored_event_features as {{ materialized_cte(false) }} (

    select
        rows_to_score.segment_name,
        rows_to_score.model_role,
        event_features.*
    from rows_to_score
    inner join event_features
        on
            rows_to_score.cutoff_at = event_features.cutoff_at
            and rows_to_score.past_days = event_features.past_days
            and rows_to_score.user_id = event_features.user_id

),

event_deltas as (

    select
        event_features.segment_name,
        event_features.model_role,
        event_features.user_id,
        {{ quantized_sum('0 ' ~ event_term_delta('event_term_sets', 'event_features')) }} as delta
    from scored_event_features as event_features
    -- A left join, so that the term sets are joined last: joined by an inner join, DuckDB is free to join
    -- every scored row to every event term of its model first, and at 100M events it did (9.1M rows, then
    -- a hash join on four keys: twice the time and four times the memory). An event outside the model
    -- finds no term set, and each of its terms adds a zero (event_term_delta), as if the row were absent.
    left join event_term_sets
        on
            event_features.segment_name = event_term_sets.segment_name
            and event_features.model_role = event_term_sets.model_role
            and event_features.event_name = event_term_sets.event_name
    group by 1, 2, 3

),

user_deltas as (

    select
        rows_to_score.segment_name,
        rows_to_score.model_role,
        rows_to_score.user_id,
        {{ quantized_sum(
            "terms.coefficient * (" ~ standardize('terms', user_feature_value('terms', 'user_features'))
            ~ " - terms.fill_z)"
        ) }} as delta
    from rows_to_score
    inner join user_features
        on
            rows_to_score.cutoff_at = user_features.cutoff_at
            and rows_to_score.past_days = user_features.past_days
            and rows_to_score.user_id = user_features.user_id
    inner join terms
        on
            rows_to_score.segment_name = terms.segment_name
            and rows_to_score.model_role = terms.model_role
    where terms.term_kind in ('user', 'attribute')
    group by 1, 2, 3

),

logits as (

    select
        rows_to_score.segment_name,
        rows_to_score.model_role,
        rows_to_score.cutoff_at,
        rows_to_score.past_days,
        rows_to_score.user_id,
        rows_to_score.label,
        intercepts.intercept
        + fill_logits.fill_logit
        + coalesce(event_deltas.delta, 0)
        + coalesce(user_deltas.delta, 0) as logit,
        intercepts.calibration_offset
    from rows_to_score
    inner join intercepts
        on
            rows_to_score.segment_name = intercepts.segment_name
            and rows_to_score.model_role = intercepts.model_role
    inner join fill_logits
        on
            rows_to_score.segment_name = fill_logits.segment_name
            and rows_to_score.model_role = fill_logits.model_role
    left join event_deltas
        on
            rows_to_score.segment_name = event_deltas.segment_name
            and rows_to_score.model_role = event_deltas.model_role
            and rows_to_score.user_id = event_deltas.user_id
    left join user_deltas
        on
            rows_to_score.segment_name = user_deltas.segment_name
            and rows_to_score.model_role = user_deltas.model_role
            and rows_to_score.user_id = user_deltas.user_id

)

select
    *,
    1.0 / (1.0 + exp(-(logit + calibration_offset))) as probability
from logits
