-- What stg_user_attributes could not use, one row per problem, with the reason (see the reject_reasons
-- seed): a line the CSV reader could not read or a row without a user id (the whole row), or one
-- attribute of a row (that field is null, the rest of the row is kept), or a row's updated_at that could not
-- be read (the row counts as the user's oldest), or an attribute whose rows disagree (the values are listed).
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

-- an updated_at that could not be read: the row's values are kept, and count as its user's oldest
bad_updated_at as (

    select
        user_id,
        'updated_at' as attribute_name,
        updated_at_raw as attribute_value,
        'unparseable_updated_at' as reject_reason
    from attribute_rows
    where user_id is not null and updated_at_raw is not null and updated_at is null

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
select * from bad_updated_at
union all
select * from conflicts
