-- The campaigns to plan: a table of yours (`campaigns_table`), else the `campaigns` seed, or the demo's
-- campaigns when the `demo` var is true. Names are trimmed; a blank target segment means every user, a
-- blank (or absent) target persona no persona filter.
{%- set persona_column = 'target_persona' %}
{%- if var('campaigns_table', none) and execute %}
    {%- set probe = run_query('select * from ' ~ var('campaigns_table') ~ ' limit 0') %}
    {%- if 'target_persona' not in probe.column_names | map('lower') | list %}
        {%- set persona_column = 'null' %}
    {%- endif %}
{%- endif %}
with

campaigns as (

    {% if var('campaigns_table', none) -%}
        -- depends_on: {{ ref('campaigns') }}
        select * from {{ var('campaigns_table') }}
    {%- elif var('demo', false) -%}
        select * from {{ ref('demo_campaigns') }}
    {%- else -%}
        select * from {{ ref('campaigns') }}
    {%- endif %}

),

final as (

    select
        trim(cast(campaign_id as {{ dbt.type_string() }})) as campaign_id,
        nullif(trim(cast(target_segment as {{ dbt.type_string() }})), '') as target_segment,
        nullif(trim(cast({{ persona_column }} as {{ dbt.type_string() }})), '') as target_persona,
        cast(send_date as date) as send_date,
        {{ time_of_day('send_local_time') }} as send_local_time,
        cast(send_instantly_if_passed as boolean) as send_instantly_if_passed,
        {{ time_of_day('quiet_hours_start') }} as quiet_hours_start,
        {{ time_of_day('quiet_hours_end') }} as quiet_hours_end
    from campaigns

)

select * from final
