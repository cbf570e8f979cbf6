{#- Scoring per-event terms without a row per term: `event_term_columns(terms)` pivots a segment's event
    terms (grouped by segment, model role and event) into one row of coefficient, center, scale and fill
    value per feature and transform; `event_term_delta(sets, features)` then adds, in a fixed order, each
    term's coefficient x (standardized value - standardized fill value) for one event row. The pairs are
    the event features of feature_catalog() with their transforms. -#}
{% macro event_term_list() %}
    {%- set pairs = [] -%}
    {%- for feature in catalog_features('event') -%}
        {%- for how in feature.transforms -%}
            {%- do pairs.append((feature.name, how)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(pairs) }}
{% endmacro %}

{% macro event_term_columns(terms) -%}
    {%- for feature, how in event_term_list() %}
    {%- for part in ['coefficient', 'center', 'scale', 'fill_value'] %}
    max(case when {{ terms }}.feature_name = '{{ feature }}' and {{ terms }}.transform = '{{ how }}'
        then {{ terms }}.{{ part }} end) as {{ part }}__{{ feature }}__{{ how }}{{ ',' if not loop.last }}
    {%- endfor %}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro event_term_delta(sets, features) -%}
    {%- for feature, how in event_term_list() %}
    {%- set suffix = feature ~ '__' ~ how -%}
    {%- set value = 'cast(' ~ features ~ '.' ~ feature ~ ' as double)' -%}
    {%- set fill = sets ~ '.fill_value__' ~ suffix -%}
    {%- set transformed = 'ln(1 + greatest(coalesce(' ~ value ~ ', ' ~ fill ~ '), 0))' if how == 'log1p'
        else 'coalesce(' ~ value ~ ', ' ~ fill ~ ')' -%}
    {%- set transformed_fill = 'ln(1 + greatest(' ~ fill ~ ', 0))' if how == 'log1p' else fill %}
    + coalesce({{ sets }}.coefficient__{{ suffix }} * (
        ({{ transformed }} - {{ sets }}.center__{{ suffix }}) / {{ sets }}.scale__{{ suffix }}
        - ({{ transformed_fill }} - {{ sets }}.center__{{ suffix }}) / {{ sets }}.scale__{{ suffix }}
    ), 0)
    {%- endfor %}
{%- endmacro %}
