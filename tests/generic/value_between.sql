{#- Fails with every row whose `column_name` lies outside [min_value, max_value] (nulls pass; pair with
    not_null where nulls are wrong). Either bound may be omitted. -#}
{% test value_between(model, column_name, min_value=none, max_value=none) %}

    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and (
            false
            {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
            {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
        )

{% endtest %}
