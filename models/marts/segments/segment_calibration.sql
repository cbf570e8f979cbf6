-- Are the probabilities honest? Per segment, the validation cutoff's users (scored by the validation
-- model, out of time) in ten groups of equal size by score: the mean predicted probability next to the
-- share whose prediction came true. A calibrated model puts the two on the diagonal.
with

scores as (

    select * from {{ ref('int_segment_scores') }}
    where model_role = 'validation'

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

deciles as (

    select
        segment_name,
        probability,
        label,
        ntile(10) over (partition by segment_name order by probability, user_id) as score_decile
    from scores

),

final as (

    select
        deciles.segment_name,
        cast(deciles.score_decile as integer) as score_decile,
        span.as_of_date,
        {{ run_id() }} as run_id,
        count(*) as user_count,
        {{ quantized_sum('deciles.probability') }} / count(*) as mean_predicted,
        avg(deciles.label) as observed_rate
    from deciles
    cross join span
    group by deciles.segment_name, deciles.score_decile, span.as_of_date

)

select * from final
