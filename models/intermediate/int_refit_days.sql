-- The refit day of each night this database built: where the training cutoffs are counted back from. A
-- night whose scoring cutoff lies less than `refit_every_days` days after the refit day of the latest
-- night logged at or before it trains on that night's cutoffs again (so it keeps their features, labels
-- and fits: int_training_state); otherwise tonight is a refit day and its scoring cutoff becomes one. So a
-- first build, a rehearsal of a past day or a database built from scratch always refits on the freshest
-- labels, and a scheduled night refits every N days counted from the first.
--
-- A log, not a rebuild: one row per scoring cutoff, replaced when the night runs again, and kept through
-- `--full-refresh` (full_refresh=false), so that a full refresh trains on the cutoffs the nights trained on
-- and gives their tables. A night earlier than every logged one (a backfill) refits on its own cutoff and
-- leaves the later nights' anchors alone. On Spark nothing is kept between nights, so every night refits.
{%- set refit_every_days = int_var('refit_every_days', 1) %}
{%- set logs = target.type != 'spark' %}
{{ config(
    materialized='incremental' if logs else 'table',
    incremental_strategy='delete+insert' if logs else none,
    unique_key='scoring_cutoff_at' if logs else none,
    full_refresh=false if logs else none,
    on_schema_change='append_new_columns' if logs else none
) }}
with

span as (

    select
        as_of_date,
        data_start_date,
        scoring_cutoff_at
    from {{ ref('int_data_span') }}

),

-- the refit day of the latest night logged at or before tonight (tonight's own, when it runs again)
previous as (

    {%- if logs and is_incremental() %}
        select max(logged.refit_anchor_at) as refit_anchor_at
        from {{ this }} as logged
        inner join (
            select max(earlier.scoring_cutoff_at) as scoring_cutoff_at
            from {{ this }} as earlier
            inner join span on earlier.scoring_cutoff_at <= span.scoring_cutoff_at
        ) as latest
            on logged.scoring_cutoff_at = latest.scoring_cutoff_at

    {%- else %}
        select cast(null as timestamp) as refit_anchor_at
    {%- endif %}

),

anchored as (

    select
        span.as_of_date,
        span.scoring_cutoff_at,
        case
            -- (a logged refit day is at or before its night's cutoff, so at or before tonight's)
            when
                previous.refit_anchor_at > cast(span.data_start_date as timestamp)
                and span.scoring_cutoff_at
                < {{ dbt.dateadd('day', refit_every_days, 'previous.refit_anchor_at') }}
                then previous.refit_anchor_at
            else span.scoring_cutoff_at
        end as refit_anchor_at
    from span
    cross join previous

),

final as (

    select
        as_of_date,
        scoring_cutoff_at,
        refit_anchor_at,
        {{ dbt.datediff('refit_anchor_at', 'scoring_cutoff_at', 'day') }} as days_after_refit,  -- noqa: LT05
        {{ refit_every_days }} as refit_every_days
    from anchored

)

select * from final
