{#- The raw value of a model term for one row: `term` is the alias of a segment_models row, `features`
    the alias of the matching int_user_event_features row (event terms) or int_user_features row (user and
    attribute terms). Null when the user has no such value; the term's fill_value stands in then. -#}
{% macro event_feature_value(term, features) -%}
    case {{ term }}.feature_name
        {%- for feature in catalog_features('event') %}
        when '{{ feature.name }}' then cast({{ features }}.{{ feature.name }} as double)
        {%- endfor %}
    end
{%- endmacro %}

{% macro user_feature_value(term, features) -%}
    case {{ term }}.feature_name
        {%- for feature in catalog_features('user') %}
        when '{{ feature.name }}' then cast({{ features }}.{{ feature.name }} as double)
        {%- endfor %}
        {%- for attribute in model_attributes() %}
        when '{{ 'attribute_' ~ attribute }}'
            then case when {{ features }}.{{ adapter.quote('attribute_' ~ attribute) }} = {{ term }}.attribute_value
                then 1.0 else 0.0 end
        {%- endfor %}
    end
{%- endmacro %}
