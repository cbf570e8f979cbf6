{#- The one definition of the model features. Everything that names a feature reads this list: the feature
    SQL (int_user_event_features), the scoring pivot and term values (event_term_list, event_feature_value,
    user_feature_value), the members' reasons (reason_text), and through the feature_catalog table the
    Python fit (predseg.modeling.terms) and the report. Adding a feature is one entry here (plus, for a
    user feature, its column in int_user_features).

    Each entry:
      name         the column name
      scope        event (one value per user and event: int_user_event_features) or user (int_user_features)
      transforms   the terms it enters as, in order: log1p (log(1 + max(x, 0))) and/or identity (counts and
                   recencies enter both ways: the chance of no event in a window falls exponentially with
                   the rate, which neither a log nor a linear term alone can follow)
      fill         what a missing value means: past_days, history_days, or a number
      lifetime     true when it describes the history window (left out when the past window is the whole
                   history, which it would repeat; and "no X in the last N days" never explains it)
      expression   event features: its SQL over the window statistics of int_user_event_features (the
                   columns event_count, first_event_at, last_event_at, second_half_count, value_sum,
                   max_gap_days, lifetime_count, lifetime_last_event_at, cutoff_at) or, with derived: true,
                   over the other features
      reason       a member's reason, as SQL: {e} the event name, {f} the user's event features row,
                   {u} the user features row, {p} the past window's days
      description  in words, for the catalog and the report: {event} the event, {past} the past days -#}
{% macro feature_catalog() %}
    {%- set features = [
        {'name': 'event_count', 'scope': 'event', 'transforms': ['log1p', 'identity'], 'fill': 0,
         'lifetime': false,
         'expression': 'cast(coalesce(event_count, 0) as bigint)',
         'reason': "{f}.event_count || ' ' || {e} || ' in the last ' || {p} || ' days'",
         'description': '{event} events in the last {past} days'},
        {'name': 'days_since_last', 'scope': 'event', 'transforms': ['log1p', 'identity'], 'fill': 'past_days',
         'lifetime': false,
         'expression': days_between('last_event_at', 'cutoff_at'),
         'reason': "'last ' || {e} || ' ' || round({f}.days_since_last, 1) || ' days ago'",
         'description': 'days since the last {event} (in the last {past} days)'},
        {'name': 'mean_gap_days', 'scope': 'event', 'transforms': ['log1p'], 'fill': 'past_days',
         'lifetime': false,
         'expression': 'case when event_count >= 2 then ' ~ days_between('first_event_at', 'last_event_at')
            ~ ' / (event_count - 1) end',
         'reason': "'usual gap between ' || {e} || ' ' || coalesce(round({f}.mean_gap_days, 1) || ' days', 'unknown')",
         'description': 'usual days between {event} events'},
        {'name': 'max_gap_days', 'scope': 'event', 'transforms': ['log1p'], 'fill': 'past_days',
         'lifetime': false,
         'expression': 'max_gap_days',
         'reason': "'longest gap between ' || {e} || ' ' || coalesce(round({f}.max_gap_days, 1) || ' days', 'unknown')",
         'description': 'longest gap between {event} events'},
        {'name': 'recency_gap_ratio', 'scope': 'event', 'transforms': ['log1p'], 'fill': 1, 'lifetime': false,
         'derived': true,
         'expression': 'days_since_last / nullif(mean_gap_days, 0)',
         'reason': "'days since last ' || {e} || ' ' || round({f}.days_since_last, 1) || ' vs usual gap '
            || coalesce(cast(round({f}.mean_gap_days, 1) as " ~ dbt.type_string() ~ "), 'unknown')",
         'description': 'days since the last {event}, relative to the usual gap'},
        {'name': 'trend', 'scope': 'event', 'transforms': ['identity'], 'fill': 0, 'lifetime': false,
         'expression': 'case when event_count > 0 then cast(2 * second_half_count - event_count as double) / event_count end',
         'reason': "{e} || ' trend ' || round({f}.trend, 2) || ' (late vs early half of the last ' || {p} || ' days)'",
         'description': '{event} trend (second half of the window against the first)'},
        {'name': 'value_sum', 'scope': 'event', 'transforms': ['log1p'], 'fill': 0, 'lifetime': false,
         'expression': 'coalesce(value_sum, 0)',
         'reason': "{e} || ' value ' || round({f}.value_sum, 2) || ' in the last ' || {p} || ' days'",
         'description': '{event} value in the last {past} days'},
        {'name': 'lifetime_count', 'scope': 'event', 'transforms': ['log1p'], 'fill': 0, 'lifetime': true,
         'expression': 'cast(lifetime_count as bigint)',
         'reason': "{f}.lifetime_count || ' ' || {e} || ' ever'",
         'description': '{event} events in the whole history'},
        {'name': 'lifetime_days_since_last', 'scope': 'event', 'transforms': ['log1p', 'identity'],
         'fill': 'history_days', 'lifetime': true,
         'expression': days_between('lifetime_last_event_at', 'cutoff_at'),
         'reason': "'last ' || {e} || ' ever ' || round({f}.lifetime_days_since_last, 1) || ' days ago'",
         'description': 'days since the last {event} ever'},
        {'name': 'tenure_days', 'scope': 'user', 'transforms': ['log1p'], 'fill': 0, 'lifetime': true,
         'reason': "'user for ' || round({u}.tenure_days, 1) || ' days'",
         'description': 'days since the first event'},
        {'name': 'days_since_last_event', 'scope': 'user', 'transforms': ['log1p'], 'fill': 'history_days',
         'lifetime': true,
         'reason': "'last seen ' || round({u}.days_since_last_event, 1) || ' days ago'",
         'description': 'days since the last event of any kind'},
        {'name': 'active_days', 'scope': 'user', 'transforms': ['log1p'], 'fill': 0, 'lifetime': false,
         'reason': "'active on ' || {u}.active_days || ' of the last ' || {p} || ' days'",
         'description': 'active days in the last {past} days'},
    ] -%}
    {{ return(features) }}
{% endmacro %}

{#- The catalog's features of one scope (event or user), in catalog order. -#}
{% macro catalog_features(scope) %}
    {{ return(feature_catalog() | selectattr('scope', 'equalto', scope) | list) }}
{% endmacro %}

{#- A feature's reason SQL with its placeholders filled in. -#}
{% macro feature_reason(feature, event_name, features, users, past_days) -%}
    {{ feature.reason | replace('{e}', event_name) | replace('{f}', features) | replace('{u}', users)
        | replace('{p}', past_days) }}
{%- endmacro %}
