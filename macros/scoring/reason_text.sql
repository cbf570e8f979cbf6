{#- A readable reason for one model term and user, for example
    "days since last app_open 6.0 vs usual gap 2.1". `term` is a segment_models row alias, `features` the
    matching int_user_event_features row (may be null: the user never did the event), `users` the
    int_user_features row, `past_days` the window length. The texts are the `reason` of each feature in
    feature_catalog(). -#}
{% macro reason_text(term, features, users, past_days) -%}
    {%- set event = term ~ '.event_name' -%}
    {%- set lifetime = catalog_features('event') | selectattr('lifetime') | map(attribute='name') | list -%}
    case
        when {{ term }}.term_kind = 'attribute'
            then replace({{ term }}.feature_name, 'attribute_', '') || ' is ' || {{ term }}.attribute_value
        when {{ term }}.term_kind = 'user' then
            case {{ term }}.feature_name
                {%- for feature in catalog_features('user') %}
                when '{{ feature.name }}'
                    then {{ feature_reason(feature, event, features, users, past_days) }}
                {%- endfor %}
            end
        when {{ features }}.event_name is null
            then 'never did ' || {{ event }}
        when {{ features }}.event_count = 0
            and {{ term }}.feature_name not in ({% for name in lifetime %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor %})
            then 'no ' || {{ event }} || ' in the last ' || {{ past_days }} || ' days'
        else
            case {{ term }}.feature_name
                {%- for feature in catalog_features('event') %}
                when '{{ feature.name }}'
                    then {{ feature_reason(feature, event, features, users, past_days) }}
                {%- endfor %}
            end
    end
{%- endmacro %}
