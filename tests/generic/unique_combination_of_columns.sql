{#- Fails with one row per combination of `combination_of_columns` that occurs more than once (nulls
    compare equal, as in group by). The primary-key test for models keyed by several columns. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1

{% endtest %}
