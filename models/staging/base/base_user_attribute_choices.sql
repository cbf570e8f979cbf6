-- Per user and attribute, the value the user's rows agree on. Rule: of the rows with a usable value, the
-- latest by updated_at wins (rows without updated_at count as oldest); when the input has no updated_at,
-- or several latest rows disagree, the distinct values are counted and a disagreement is a conflict.
with

fields as (

    select * from {{ ref('base_user_attribute_fields') }}
    where attribute_value is not null

),

ranked as (

    select
        *,
        dense_rank() over (
            partition by user_id, attribute_name order by updated_at desc nulls last
        ) as recency_rank
    from fields

),

choices as (

    select
        user_id,
        attribute_name,
        min(attribute_value) as attribute_value,
        count(distinct attribute_value) as distinct_values,
        {{ text_agg('attribute_value', "' | '", ['attribute_value'], distinct=true) }} as values_seen
    from ranked
    where recency_rank = 1
    group by 1, 2

)

select * from choices
