-- Per segment, what its training data and its fit are a function of, as keys a later night compares with
-- its own: with refit_every_days > 1 the nights between two refit days keep the features at the training
-- cutoffs (int_user_event_features) and the fits (segment_models) that hold the same key, and compute the
-- rest; a full refresh computes everything and gives the same tables.
--
-- training_data_key: the refit day, the panel's size, the history window and where the data starts, and
-- the daily rollup's rows of the days before the refit day that a later night may still restage (the last
-- late_event_days + 1 days before it: older days are final until a full refresh, see base_events). Every
-- row at a training cutoff is a function of the events before the refit day, so equal keys mean equal
-- rows; a late event that changes those days changes the key. (Its number is a sum of md5 prefixes, the
-- same on every engine; a change that keeps it is about a chance in four billion.)
--
-- fit_key: the training data key, the segment's settings and the model's settings (as configured), the
-- segment's scoring window (int_cutoffs) and the categorical attributes of every user (the models' attribute
-- terms read today's attributes). Null when fits are not kept: refit_every_days 1, or personas as a model
-- feature (those are refit every night).
--
-- training_rows_key: the training data key and the categorical attributes of every user, what the user-level
-- features at a training cutoff are a function of (int_user_features keeps a window's rows while it is
-- unchanged). Null when nothing is kept: refit_every_days 1, or personas as a model feature.
{%- set refit_every_days = int_var('refit_every_days', 1) %}
{#- whether nights between refit days keep the fits and user-level rows (not with personas as a model feature) -#}
{%- set keeps = 'true' if refit_every_days > 1 and not (var('persona_as_feature', false) | as_bool) else 'false' %}
{%- set attributes = categorical_attributes() %}
{%- set attribute_fields = ["user_id"] %}
{%- for attribute in attributes %}
    {%- do attribute_fields.append(
        "coalesce(cast(" ~ adapter.quote(attribute) ~ " as " ~ dbt.type_string() ~ "), '')") %}
{%- endfor %}
{%- set settings = {
    'training_cutoffs': var('training_cutoffs'), 'cutoff_stride_days': var('cutoff_stride_days'),
    'min_history_days': var('min_history_days'), 'max_history_days': var('max_history_days'),
    'min_class_rows': var('min_class_rows'), 'min_predicted_positives': var('min_predicted_positives'),
    'regularization_c': var('regularization_c'), 'threshold_rule': var('threshold_rule'),
    'expected_precision_z': var('expected_precision_z'), 'calibration_rule': var('calibration_rule'),
    'max_feature_events': var('max_feature_events'),
    'max_training_rows_per_segment': var('max_training_rows_per_segment'),
    'categorical_attributes': attributes,
} %}
with

span as (

    select
        refit_days.refit_anchor_at,
        cast(refit_days.refit_anchor_at as date) as refit_date
    from {{ ref('int_refit_days') }} as refit_days
    inner join {{ ref('int_data_span') }} as data_span
        on refit_days.scoring_cutoff_at = data_span.scoring_cutoff_at

),

-- the days before the refit day a later night may restage: their rows, each as a number (not read when
-- every night refits: nothing is kept then)
unsettled_days as (

    {%- if refit_every_days > 1 %}
        select
            count(*) as row_count,
            coalesce(sum(event_days.event_count), 0) as event_count,
            coalesce(sum({{ stable_number(
                "event_days.user_id || '|' || event_days.event_name || '|' || cast(event_days.event_date as "
                ~ dbt.type_string() ~ ") || '|' || cast(event_days.event_count as " ~ dbt.type_string() ~ ") || '|' || "
                ~ "cast(cast(round(coalesce(event_days.value_sum, 0) * 100, 0) as bigint) as " ~ dbt.type_string() ~ ")"
            ) }}), 0) as row_number_sum
        from {{ ref('int_user_event_days') }} as event_days
        inner join span
            on
                event_days.event_date < span.refit_date
                -- a date, as the column is: a timestamp bound converts every stored day and reaches no scan
                and event_days.event_date
                >= cast({{ dbt.dateadd('day', -1 - int_var('late_event_days', 0), 'span.refit_date') }} as date)

    {%- else %}
        -- depends_on: {{ ref('int_user_event_days') }}
        select
            0 as row_count,
            0 as event_count,
            0 as row_number_sum
    {%- endif %}

),

-- the history every cutoff's lifetime features read, and where the data starts
history as (

    select
        max(history_days) as history_days,
        max(data_start_date) as data_start_date
    from {{ ref('int_cutoffs') }}

),

data_key as (

    select
        span.refit_anchor_at,
        cast(span.refit_date as {{ dbt.type_string() }})
        || '|panel ' || '{{ int_var("training_panel_users", 1) }}'
        || '|history ' || cast(history.history_days as {{ dbt.type_string() }})
        || ' from ' || cast(history.data_start_date as {{ dbt.type_string() }})
        || '|rows ' || cast(unsettled_days.row_count as {{ dbt.type_string() }})
        || '|events ' || cast(unsettled_days.event_count as {{ dbt.type_string() }})
        || '|' || cast(unsettled_days.row_number_sum as {{ dbt.type_string() }}) as training_data_key
    from span
    cross join unsettled_days
    cross join history

),

attributes_key as (

    {%- if attributes %}
        select
            cast(count(*) as {{ dbt.type_string() }}) || '|'
            || cast(coalesce(sum({{ stable_number(attribute_fields | join(" || '|' || ")) }}), 0)
                as {{ dbt.type_string() }}) as attributes_key
        from {{ ref('stg_user_attributes') }}
    {%- else %}
        -- depends_on: {{ ref('stg_user_attributes') }}
        select 'none' as attributes_key
    {%- endif %}

),

configured as (

    {%- for segment in get_segments() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            {{ sql_string(segment.name) }} as segment_name,
            {{ sql_string(tojson({'segment': segment, 'settings': settings}, sort_keys=true)) }} as settings_text
    {%- endfor %}

),

scoring_windows as (

    select
        segment_name,
        cast(past_days as {{ dbt.type_string() }}) || '|' || cast(history_days as {{ dbt.type_string() }})
        || '|' || cast(skipped_training_cutoffs as {{ dbt.type_string() }})
        || '|' || cast(skipped_validation_cutoffs as {{ dbt.type_string() }})
        || '|' || cast(data_start_date as {{ dbt.type_string() }}) as window_text
    from {{ ref('int_cutoffs') }}
    where cutoff_role = 'scoring'

),

final as (

    select
        configured.segment_name,
        data_key.refit_anchor_at,
        data_key.training_data_key,
        case
            when {{ keeps }}
                then md5(
                    configured.settings_text || '|' || data_key.training_data_key
                    || '|' || attributes_key.attributes_key
                    || '|' || coalesce(scoring_windows.window_text, 'no scoring window')
                )
        end as fit_key,
        case
            when {{ keeps }}
                then data_key.training_data_key || '|attributes ' || attributes_key.attributes_key
        end as training_rows_key
    from configured
    cross join data_key
    cross join attributes_key
    left join scoring_windows on configured.segment_name = scoring_windows.segment_name

)

select * from final
