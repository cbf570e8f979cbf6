-- One row per persona found tonight: how many users it holds, its centre in original units (the typical
-- member: the back-transformed centre), its members' means and how they compare with the average user,
-- and a name built from the profile: the (at most three) features whose centre lies furthest from the
-- average, at least half a standard deviation away, in words ("recent · frequent · high value"); a name
-- two personas share gets the persona id appended. Empty when tonight's personas are not ok.
{%- set features = persona_features() %}
with

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

centres as (

    select * from {{ ref('int_persona_centres') }}

),

assigned as (

    select
        personas.persona_id,
        behaviour.*
    from {{ ref('int_user_personas') }} as personas
    inner join {{ ref('int_user_behaviour') }} as behaviour
        on
            personas.cutoff_at = behaviour.cutoff_at
            and personas.user_id = behaviour.user_id
    where behaviour.cutoff_role = 'scoring'

),

everyone as (

    select
        {%- for feature in features %}
            {{ exact_sum(feature.name) }} / count(*) as {{ feature.name }}_mean,
        {%- endfor %}
        count(*) as user_count
    from assigned

),

members as (

    select
        persona_id,
        {%- for feature in features %}
            {{ exact_sum(feature.name) }} / count(*) as {{ feature.name }}_mean,
        {%- endfor %}
        count(*) as user_count
    from assigned
    group by persona_id

),

words as (

    select
        persona_id,
        case feature_name
            {%- for feature in features %}
                when '{{ feature.name }}'
                    then case when centroid > 0 then '{{ feature.high }}' else '{{ feature.low }}' end
            {%- endfor %}
        end as word,
        row_number() over (
            partition by persona_id
            order by abs(centroid) desc, case feature_name
                {%- for feature in features %}
                    when '{{ feature.name }}' then {{ loop.index }}
                {%- endfor %}
            end
        ) as word_rank
    from centres
    where abs(centroid) >= 0.5

),

base_names as (

    select
        centres.persona_id,
        coalesce({{ text_agg('words.word', "' · '", ['words.word_rank']) }}, 'average') as base_name
    from (select distinct persona_id from centres) as centres
    left join words
        on
            centres.persona_id = words.persona_id
            and words.word_rank <= 3
    group by centres.persona_id

),

names as (

    select
        persona_id,
        case
            when count(*) over (partition by base_name) > 1 then base_name || ' (' || persona_id || ')'
            else base_name
        end as persona_name
    from base_names

),

centre_values as (

    select
        {%- for feature in features %}
            max(case when feature_name = '{{ feature.name }}' then exp(raw_centroid) - 1 end)
                as {{ feature.name }}_centre,
        {%- endfor %}
        persona_id
    from centres
    group by persona_id

),

final as (

    select
        names.persona_id,
        span.as_of_date,
        {{ run_id() }} as run_id,
        names.persona_name,
        {%- for feature in features %}
            centre_values.{{ feature.name }}_centre,
            members.{{ feature.name }}_mean,
            members.{{ feature.name }}_mean / nullif(everyone.{{ feature.name }}_mean, 0)
                as {{ feature.name }}_vs_average,
        {%- endfor %}
        coalesce(members.user_count, 0) as user_count,
        cast(coalesce(members.user_count, 0) as double) / nullif(everyone.user_count, 0) as user_share
    from names
    cross join span
    cross join everyone
    inner join centre_values on names.persona_id = centre_values.persona_id
    left join members on names.persona_id = members.persona_id

)

select * from final
