-- User attribute rows that stg_user_attributes does not use, with the reason. Exact duplicate rows count as
-- one row; different rows for one user are all rejected, since none can be preferred.
with

classified as (

    select * from {{ ref('stg_user_attributes_classified') }}

),

rejected as (

    select
        user_id,
        timezone,
        signup_date_raw as signup_date,
        reject_reason

    from classified
    where reject_reason is not null

)

select * from rejected
