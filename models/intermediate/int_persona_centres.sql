{{ config(materialized='view') }}
-- Tonight's persona centres, one row per persona and behaviour feature (persona_models' centroid rows of
-- this run's night), when tonight's personas are ok; no rows otherwise. What users are assigned to and
-- personas are named from.
with

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

final as (

    select
        persona_models.persona_id,
        persona_models.feature_name,
        persona_models.center,
        persona_models.scale,
        persona_models.centroid,
        persona_models.raw_centroid
    from {{ ref('persona_models') }} as persona_models
    inner join span on persona_models.as_of_date = span.as_of_date
    where persona_models.record_type = 'centroid' and persona_models.status = 'ok'

)

select * from final
