-- How tonight's personas were chosen: one row per k tried, with its silhouette and inertia, which k won,
-- the bootstrap stability and the status (one row without k when there was no clustering).
with

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

fit as (

    select persona_models.*
    from {{ ref('persona_models') }} as persona_models
    inner join span on persona_models.as_of_date = span.as_of_date
    where persona_models.record_type in ('k_score', 'none')

),

final as (

    select
        as_of_date,
        {{ run_id() }} as run_id,
        cast(k as integer) as k,
        silhouette,
        inertia,
        coalesce(is_chosen, false) as is_chosen,
        status,
        status_message,
        cast(chosen_k as integer) as chosen_k,
        stability_ari,
        reference_silhouette,
        sample_users
    from fit

)

select * from final
