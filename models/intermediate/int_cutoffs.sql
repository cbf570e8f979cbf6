-- Per segment, the moments (P2) at which features are measured: the scoring cutoff (the midnight after
-- as_of) and the past training cutoffs whose whole future window is already observed. Training cutoff k
-- (1 = newest) sits future_days + (k - 1) * cutoff_stride_days days before the scoring cutoff, so its label
-- window [cutoff, cutoff + future_days) ends at or before the scoring cutoff. Training cutoffs whose past
-- window would start before the first event are left out: their features would describe days without data.
with

definitions as (

    select * from {{ ref('int_segment_definitions') }}

),

event_span as (

    select
        min(event_at) as first_event_at,
        max(event_at) as last_event_at
    from {{ ref('stg_events') }}

),

as_of as (

    select
        first_event_at,
        coalesce({{ get_as_of() }}, cast(last_event_at as date)) as as_of_date
    from event_span

),

cutoff_numbers as (

    select generate_series as cutoff_number
    from generate_series(0, {{ int_var('training_cutoffs', 2) }})

),

cutoffs as (

    select
        definitions.segment_name,
        cutoff_numbers.cutoff_number,
        as_of.as_of_date,
        as_of.first_event_at,
        definitions.past_days,
        definitions.future_days,
        case when cutoff_numbers.cutoff_number = 0 then 'scoring' else 'training' end as cutoff_role,
        {{ dbt.dateadd(
            'day',
            "1 - case when cutoff_numbers.cutoff_number = 0 then 0 else definitions.future_days
                + (cutoff_numbers.cutoff_number - 1) * " ~ int_var('cutoff_stride_days', 1) ~ " end",
            'cast(as_of.as_of_date as timestamp)'
        ) }} as cutoff_at

    from definitions
    cross join as_of
    cross join cutoff_numbers

),

final as (

    select
        segment_name,
        cutoff_at,
        cutoff_role,
        cutoff_number,
        as_of_date,
        past_days,
        future_days,
        {{ dbt.dateadd('day', '-past_days', 'cutoff_at') }} as features_start_at,
        {{ dbt.dateadd('day', 'future_days', 'cutoff_at') }} as labels_end_at

    from cutoffs
    where
        cutoff_role = 'scoring'
        or {{ dbt.dateadd('day', '-past_days', 'cutoff_at') }} >= {{ dbt.date_trunc('day', 'first_event_at') }}

)

select * from final
