-- Per user and attribute, the value the user's rows agree on. Rule: of the rows with a usable value, the
-- latest by updated_at wins (rows without updated_at count as oldest); when the input has no updated_at,
-- or several latest rows disagree, the distinct values are counted and a disagreement is a conflict.
with

fields as (

    select * from {{ ref('base_user_attribute_fields') }}
    where attribute_value is not null

),

-- most users have one row per attribute, whose value is the choice: counted in one grouping, so that only
-- the others go through the latest rows and their values
value_rows as (

    select
        user_id,
        attribute_name,
        count(*) as row_count,
        min(attribute_value) as attribute_value
    from fields
    group by 1, 2

),

several_rows as (

    select fields.*
    from fields
    inner join value_rows
        on
            fields.user_id = value_rows.user_id
            and fields.attribute_name = value_rows.attribute_name
    where value_rows.row_count > 1

),

-- the latest rows: those at the latest updated_at, or all of them when none has one (a group-by and a
-- join rather than a ranking window, which sorted every user's rows)
latest as (

    select
        user_id,
        attribute_name,
        max(updated_at) as updated_at
    from several_rows
    group by 1, 2

),

newest as (

    select several_rows.*
    from several_rows
    inner join latest
        on
            several_rows.user_id = latest.user_id
            and several_rows.attribute_name = latest.attribute_name
    where several_rows.updated_at = latest.updated_at or latest.updated_at is null

),

bounds as (

    select
        user_id,
        attribute_name,
        min(attribute_value) as attribute_value,
        max(attribute_value) as last_value
    from newest
    group by 1, 2

),

-- the few users whose latest rows disagree: their values counted and listed
conflicts as (

    select
        newest.user_id,
        newest.attribute_name,
        count(distinct newest.attribute_value) as distinct_values,
        {{ text_agg('newest.attribute_value', "' | '", ['newest.attribute_value'], distinct=true) }} as values_seen
    from newest
    inner join bounds
        on
            newest.user_id = bounds.user_id
            and newest.attribute_name = bounds.attribute_name
    where bounds.attribute_value != bounds.last_value
    group by 1, 2

),

choices as (

    select
        user_id,
        attribute_name,
        attribute_value,
        cast(1 as bigint) as distinct_values,
        attribute_value as values_seen
    from value_rows
    where row_count = 1

    union all

    select
        bounds.user_id,
        bounds.attribute_name,
        bounds.attribute_value,
        coalesce(conflicts.distinct_values, 1) as distinct_values,
        coalesce(conflicts.values_seen, bounds.attribute_value) as values_seen
    from bounds
    left join conflicts
        on
            bounds.user_id = conflicts.user_id
            and bounds.attribute_name = conflicts.attribute_name

)

select * from choices
