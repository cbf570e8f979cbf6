-- Every user's persona at every cutoff with a persona window: the nearest centre of tonight's personas
-- (persona_models), by squared distance between the user's standardized behaviour and the centre (ties:
-- the lower persona_id). Assigned in SQL, so memory does not grow with the number of users. Empty when
-- tonight's personas are not ok (unstable, insufficient_data, error).
with

behaviour as (

    select * from {{ ref('int_user_behaviour') }}

),

centres as (

    select * from {{ ref('int_persona_centres') }}

),

distances as (

    select
        behaviour.cutoff_at,
        behaviour.user_id,
        centres.persona_id,
        sum(power(
            (ln(1 + greatest({{ persona_feature_value('behaviour', 'centres.feature_name') }}, 0)) - centres.center)
            / centres.scale
            - centres.centroid,
            2
        )) as squared_distance
    from behaviour
    cross join centres
    group by 1, 2, 3

),

ranked as (

    select
        *,
        row_number() over (
            partition by cutoff_at, user_id order by squared_distance asc, persona_id asc
        ) as distance_rank
    from distances

),

final as (

    select
        cutoff_at,
        user_id,
        persona_id,
        sqrt(squared_distance) as distance
    from ranked
    where distance_rank = 1

)

select * from final
