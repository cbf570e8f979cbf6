-- How much each segment moved on this run's night, against the latest earlier night on which it was
-- scored: the members kept, entered and left and their Jaccard similarity, the population stability
-- index (PSI) of the scores, and the base rate of the newest labelled cutoff next to the previous
-- night's. Warn-severity tests fire when a night crosses the vars min_member_jaccard, max_score_psi and
-- max_base_rate_change. One row per segment scored that night.
-- PSI = sum over the previous night's score bins of (share now - share then) * ln(share now / share then),
-- with shares floored at 0.0001; the lowest and highest bins are open-ended, so every score falls in one.
with

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

model_history as (

    select * from {{ ref('segment_model_history') }}

),

members as (

    select
        segment_name,
        count(*) as members
    from {{ ref('segment_members') }}
    group by 1

),

changes as (

    select
        segment_name,
        count(case when change_type = 'entered' then 1 end) as entered_members,
        count(case when change_type = 'left' then 1 end) as left_members
    from {{ ref('segment_changes') }}
    where as_of_date in (select span.as_of_date from span)
    group by 1

),

scores as (

    select
        segment_name,
        score
    from {{ ref('segment_scores') }}

),

distribution as (

    select * from {{ ref('segment_score_distribution') }}

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}
    where cutoff_number = 1

),

labels as (

    select * from {{ ref('int_segment_labels') }}

),

previous_nights as (

    {{ previous_scored_night('model_history', 'span') }}

),

previous_bins as (

    select
        distribution.*,
        distribution.bin_number = min(distribution.bin_number) over (partition by distribution.segment_name)
            as is_lowest,
        distribution.bin_number = max(distribution.bin_number) over (partition by distribution.segment_name)
            as is_highest
    from distribution
    inner join previous_nights
        on
            distribution.segment_name = previous_nights.segment_name
            and distribution.as_of_date = previous_nights.previous_as_of_date

),

binned_now as (

    select
        previous_bins.segment_name,
        previous_bins.bin_number,
        count(scores.score) as user_count
    from previous_bins
    left join scores
        on
            previous_bins.segment_name = scores.segment_name
            and (previous_bins.is_highest or previous_bins.score_upper >= scores.score)
            and (previous_bins.is_lowest or previous_bins.score_lower < scores.score)
    group by 1, 2

),

shares as (

    select
        previous_bins.segment_name,
        greatest(previous_bins.user_share, 0.0001) as share_then,
        greatest(cast(binned_now.user_count as double) / nullif(sum(binned_now.user_count) over (
            partition by binned_now.segment_name
        ), 0), 0.0001) as share_now
    from previous_bins
    inner join binned_now
        on
            previous_bins.segment_name = binned_now.segment_name
            and previous_bins.bin_number = binned_now.bin_number

),

psi as (

    select
        segment_name,
        {{ quantized_sum("(share_now - share_then) * ln(share_now / share_then)") }} as score_psi
    from shares
    group by 1

),

base_rates as (

    select
        cutoffs.segment_name,
        cutoffs.cutoff_at as newest_labelled_cutoff_at,
        avg(labels.label) as newest_labelled_base_rate
    from cutoffs
    inner join labels
        on
            cutoffs.segment_name = labels.segment_name
            and cutoffs.cutoff_at = labels.cutoff_at
    group by 1, 2

),

previous_base_rates as (

    -- noqa: disable=LT02
    -- (sqlfluff lays out the branch it does not render as if it followed the other one)
    {% if is_incremental() %}
    select
        this.segment_name,
        this.newest_labelled_base_rate
    from {{ this }} as this
    inner join previous_nights
        on
            this.segment_name = previous_nights.segment_name
            and this.as_of_date = previous_nights.previous_as_of_date
    {% else %}
    -- the first build: no earlier night
    select
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as double) as newest_labelled_base_rate
    where false
    {% endif %}
    -- noqa: enable=LT02

),

counted as (

    select
        previous_nights.segment_name,
        span.as_of_date,
        previous_nights.previous_as_of_date,
        coalesce(members.members, 0) as members,
        coalesce(changes.entered_members, 0) as entered_members,
        coalesce(changes.left_members, 0) as left_members,
        psi.score_psi,
        base_rates.newest_labelled_cutoff_at,
        base_rates.newest_labelled_base_rate,
        previous_base_rates.newest_labelled_base_rate as previous_newest_labelled_base_rate
    from previous_nights
    cross join span
    left join members on previous_nights.segment_name = members.segment_name
    left join changes on previous_nights.segment_name = changes.segment_name
    left join psi on previous_nights.segment_name = psi.segment_name
    left join base_rates on previous_nights.segment_name = base_rates.segment_name
    left join previous_base_rates on previous_nights.segment_name = previous_base_rates.segment_name

),

final as (

    select
        segment_name,
        as_of_date,
        {{ run_id() }} as run_id,
        previous_as_of_date,
        members,
        case when previous_as_of_date is not null then members - entered_members + left_members end
            as previous_members,
        case when previous_as_of_date is not null then members - entered_members end as kept_members,
        entered_members,
        left_members,
        case
            when previous_as_of_date is not null
                then cast(members - entered_members as double) / nullif(members + left_members, 0)
        end as member_jaccard,
        score_psi,
        newest_labelled_cutoff_at,
        newest_labelled_base_rate,
        previous_newest_labelled_base_rate,
        newest_labelled_base_rate / nullif(previous_newest_labelled_base_rate, 0) - 1 as base_rate_change
    from counted

)

select * from final
