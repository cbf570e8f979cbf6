-- The campaigns to plan: the `campaigns` seed (yours), or the demo's campaigns when the `demo` var is
-- true. Names are trimmed; a blank target segment means every user.
with

campaigns as (

    {% if var('demo', false) -%}
        select * from {{ ref('demo_campaigns') }}
    {%- else -%}
        select * from {{ ref('campaigns') }}
    {%- endif %}

),

final as (

    select
        trim(campaign_id) as campaign_id,
        nullif(trim(target_segment), '') as target_segment,
        send_date,
        send_local_time,
        send_instantly_if_passed,
        quiet_hours_start,
        quiet_hours_end
    from campaigns

)

select * from final
