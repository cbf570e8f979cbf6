{#- The behaviour features personas are clustered on: the columns of int_user_behaviour after its keys
    (predseg.personas reads them from there), each with the words persona names use for a centre above
    or below the average user. -#}
{% macro persona_features() -%}
    {{ return([
        {'name': 'recency_days', 'high': 'lapsed', 'low': 'recent'},
        {'name': 'frequency', 'high': 'frequent', 'low': 'infrequent'},
        {'name': 'monetary', 'high': 'high value', 'low': 'low value'},
        {'name': 'event_types', 'high': 'broad', 'low': 'narrow'},
        {'name': 'tenure_days', 'high': 'long-standing', 'low': 'new'},
        {'name': 'events_per_day', 'high': 'busy', 'low': 'quiet'},
        {'name': 'value_per_event', 'high': 'big-ticket', 'low': 'browsing'},
    ]) }}
{%- endmacro %}

{#- The value of the behaviour feature named by `name_sql` (a column holding a feature name) in the
    int_user_behaviour row `behaviour`. -#}
{% macro persona_feature_value(behaviour, name_sql) -%}
    case {{ name_sql }}
        {%- for feature in persona_features() %}
        when '{{ feature.name }}' then cast({{ behaviour }}.{{ feature.name }} as double)
        {%- endfor %}
    end
{%- endmacro %}
