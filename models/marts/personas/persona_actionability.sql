-- Do personas tell apart what users do next? For each segment, its newest labelled cutoff (whose labels
-- end at today's cutoff) and the training panel's users there: the base rate of the segment's outcome in
-- each persona (assigned from behaviour before that cutoff only), next to the same for each categorical
-- attribute (device, plan, ...). Per segment and grouping, one separation figure: the information gain
-- of the outcome from the grouping, in bits and as a share of the outcome's entropy (0: the groups have
-- the same rate; 1: the groups alone tell the outcome), and the spread of the rates over groups of at
-- least 30 users.
with

cutoffs as (

    select
        segment_name,
        cutoff_at,
        past_days
    from {{ ref('int_cutoffs') }}
    where cutoff_number = 1

),

labels as (

    select
        labels.segment_name,
        labels.cutoff_at,
        labels.user_id,
        labels.label,
        cutoffs.past_days
    from {{ ref('int_segment_labels') }} as labels
    inner join cutoffs
        on
            labels.segment_name = cutoffs.segment_name
            and labels.cutoff_at = cutoffs.cutoff_at

),

personas as (

    select * from {{ ref('int_user_personas') }}

),

profiles as (

    select
        persona_id,
        persona_name
    from {{ ref('persona_profiles') }}

),

{%- if categorical_attributes() %}

user_features as (

    select * from {{ ref('int_user_features') }}

),
{%- else %}

-- depends_on: {{ ref('int_user_features') }}
{%- endif %}

found_personas as (

    select count(*) as persona_count from profiles

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

grouped as (

    select
        labels.segment_name,
        'persona' as grouped_by,
        coalesce(profiles.persona_name, 'no persona') as group_value,
        labels.label
    from labels
    inner join found_personas on found_personas.persona_count > 0
    left join personas
        on
            labels.cutoff_at = personas.cutoff_at
            and labels.user_id = personas.user_id
    left join profiles on personas.persona_id = profiles.persona_id
    {%- for attribute in categorical_attributes() %}
    union all
    select
        labels.segment_name,
        {{ sql_string(attribute) }} as grouped_by,
        coalesce(cast(user_features.{{ adapter.quote('attribute_' ~ attribute) }} as {{ dbt.type_string() }}),
            'unknown') as group_value,
        labels.label
    from labels
    left join user_features
        on
            labels.cutoff_at = user_features.cutoff_at
            and labels.past_days = user_features.past_days
            and labels.user_id = user_features.user_id
    {%- endfor %}

),

rates as (

    select
        segment_name,
        grouped_by,
        group_value,
        count(*) as user_count,
        sum(label) as positives,
        avg(label) as outcome_rate
    from grouped
    group by 1, 2, 3

),

entropies as (

    select
        *,
        cast(user_count as double) / sum(user_count) over (partition by segment_name, grouped_by) as group_share,
        -(
            case when outcome_rate > 0 then outcome_rate * log2(outcome_rate) else 0 end
            + case when outcome_rate < 1 then (1 - outcome_rate) * log2(1 - outcome_rate) else 0 end
        ) as group_entropy
    from rates

),

overall as (

    select
        segment_name,
        grouped_by,
        cast(sum(positives) as double) / sum(user_count) as base_rate
    from rates
    group by 1, 2

),

separation as (

    select
        entropies.segment_name,
        entropies.grouped_by,
        overall.base_rate,
        -(
            case when overall.base_rate > 0 then overall.base_rate * log2(overall.base_rate) else 0 end
            + case when overall.base_rate < 1 then (1 - overall.base_rate) * log2(1 - overall.base_rate) else 0 end
        ) - {{ quantized_sum("entropies.group_share * entropies.group_entropy") }} as information_gain_bits,
        max(case when entropies.user_count >= 30 then entropies.outcome_rate end)
        - min(case when entropies.user_count >= 30 then entropies.outcome_rate end) as outcome_rate_spread
    from entropies
    inner join overall
        on
            entropies.segment_name = overall.segment_name
            and entropies.grouped_by = overall.grouped_by
    group by 1, 2, 3

),

final as (

    select
        entropies.segment_name,
        entropies.grouped_by,
        entropies.group_value,
        span.as_of_date,
        {{ run_id() }} as run_id,
        cutoffs.cutoff_at as labelled_cutoff_at,
        entropies.user_count,
        cast(entropies.positives as bigint) as positives,
        entropies.outcome_rate,
        separation.base_rate,
        entropies.outcome_rate / nullif(separation.base_rate, 0) as lift,
        greatest(separation.information_gain_bits, 0) as information_gain_bits,
        greatest(separation.information_gain_bits, 0) / nullif(
            -(
                case when separation.base_rate > 0 then separation.base_rate * log2(separation.base_rate) else 0 end
                + case
                    when separation.base_rate < 1 then (1 - separation.base_rate) * log2(1 - separation.base_rate)
                    else 0
                end
            ), 0
        ) as information_gain_share,
        separation.outcome_rate_spread
    from entropies
    cross join span
    inner join cutoffs on entropies.segment_name = cutoffs.segment_name
    inner join separation
        on
            entropies.segment_name = separation.segment_name
            and entropies.grouped_by = separation.grouped_by

)

select * from final
