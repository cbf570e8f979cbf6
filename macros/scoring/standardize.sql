{#- A model term's standardized input: (transform(value) - center) / scale, with the term's fill value
    for a missing value. `term` is the alias of a segment_models row; this is exactly what the Python fit
    computed (predseg.modeling.design_matrix). -#}
{% macro standardize(term, value_sql) -%}
    ((case
        when {{ term }}.transform = 'log1p' then ln(1 + greatest(coalesce({{ value_sql }}, {{ term }}.fill_value), 0))
        else coalesce({{ value_sql }}, {{ term }}.fill_value)
    end - {{ term }}.center) / {{ term }}.scale)
{%- endmacro %}
