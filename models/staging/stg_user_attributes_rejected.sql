-- What stg_user_attributes could not use, one row per problem, with the reason (see the reject_reasons
-- seed): a line the CSV reader could not read or a row without a user id (the whole row), or one
-- attribute of a row (that field is null, the
-- rest of the row is kept), or an attribute whose rows disagree (the values are listed).
with

attribute_rows as (

    select * from {{ ref('base_user_attributes') }}

),

fields as (

    select * from {{ ref('base_user_attribute_fields') }}

),

choices as (

    select * from {{ ref('base_user_attribute_choices') }}

),

missing_ids as (

    select
        user_id_raw as user_id,
        cast(null as {{ dbt.type_string() }}) as attribute_name,
        unreadable_line as attribute_value,
        case when unreadable_line is not null then 'unreadable_line' else 'missing_user_id' end as reject_reason
    from attribute_rows
    where user_id is null

),

bad_fields as (

    select
        user_id,
        attribute_name,
        raw_value as attribute_value,
        reject_reason
    from fields
    where reject_reason is not null

),

conflicts as (

    select
        user_id,
        attribute_name,
        values_seen as attribute_value,
        'conflicting_values' as reject_reason
    from choices
    where distinct_values > 1

)

select * from missing_ids
union all
select * from bad_fields
union all
select * from conflicts
