-- Every user's persona today (at the scoring cutoff): the nearest of tonight's persona centres, with the
-- persona's name and the user's distance from its centre. Empty when tonight's personas are not ok.
with

personas as (

    select * from {{ ref('int_user_personas') }}

),

span as (

    select
        as_of_date,
        scoring_cutoff_at
    from {{ ref('int_data_span') }}

),

profiles as (

    select
        persona_id,
        persona_name
    from {{ ref('persona_profiles') }}

),

final as (

    select
        personas.user_id,
        span.as_of_date,
        {{ run_id() }} as run_id,
        personas.persona_id,
        profiles.persona_name,
        personas.distance
    from personas
    inner join span on personas.cutoff_at = span.scoring_cutoff_at
    inner join profiles on personas.persona_id = profiles.persona_id

)

select * from final
