-- The campaigns to plan, each with what its target is: a declared segment (with that segment's model
-- status), every user (no target), or a name no segment has (unknown_segment; the relationships test
-- on stg_campaigns fails the build for it); narrowed to a persona when target_persona is set.
with

campaigns as (

    select * from {{ ref('stg_campaigns') }}

),

definitions as (

    select segment_name from {{ ref('int_segment_definitions') }}

),

statuses as (

    select distinct
        segment_name,
        status
    from {{ ref('segment_models') }}

),

final as (

    select
        campaigns.*,
        case
            when campaigns.target_segment is null and campaigns.target_persona is not null then 'persona'
            when campaigns.target_segment is null then 'everyone'
            when definitions.segment_name is null then 'unknown_segment'
            when campaigns.target_persona is not null then 'segment_and_persona'
            else 'segment'
        end as target_kind,
        statuses.status as target_status
    from campaigns
    left join definitions on campaigns.target_segment = definitions.segment_name
    left join statuses on campaigns.target_segment = statuses.segment_name

)

select * from final
