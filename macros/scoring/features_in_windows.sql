{#- The rows of a feature table (int_user_event_features or int_user_features) for the (cutoff_at,
    past_days) pairs in `windows` only, a relation with one row per pair. Scoring joins the rows of the
    windows it scores; joining every cutoff's features instead costs twice as much (and spills). -#}
{% macro features_in_windows(features, windows) -%}
    select features.*
    from {{ features }} as features
    inner join {{ windows }} as windows
        on
            features.cutoff_at = windows.cutoff_at
            and features.past_days = windows.past_days
{%- endmacro %}
