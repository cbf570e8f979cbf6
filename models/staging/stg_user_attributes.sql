-- One row per user with usable attributes. Users without a row here have unknown attributes.
with

classified as (

    select * from {{ ref('stg_user_attributes_classified') }}

),

usable as (

    select
        {%- for attribute in var('categorical_attributes') %}
            {{ adapter.quote(attribute) }},
        {%- endfor %}
        user_id,
        timezone,
        signup_date

    from classified
    where reject_reason is null

)

select * from usable
