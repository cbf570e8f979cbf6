{#- An event name written loosely: lower case, without spaces, underscores or hyphens. Two names that differ
    only in how they are written ('Purchase' and 'purchase', 'add-to-cart' and 'add_to_cart') have the same
    loose name. -#}
{% macro loose_event_name(expression_sql) %}
    {{- return("replace(replace(replace(lower(" ~ expression_sql ~ "), ' ', ''), '_', ''), '-', '')") -}}
{% endmacro %}
