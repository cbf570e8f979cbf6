{#- True when a user attributes source is configured (`user_attributes_table` or `user_attributes_path`). -#}
{% macro has_user_attributes() -%}
    {{ return((var('user_attributes_table') or var('user_attributes_path')) is not none
              and (var('user_attributes_table') or var('user_attributes_path')) | string | length > 0) }}
{%- endmacro %}
