{#- The categorical attributes segment models use: the input's (categorical_attributes) and, when
    persona_as_feature is on, `persona` (each user's persona at each cutoff, int_user_personas). Each is
    an `attribute_<name>` column of int_user_features. -#}
{% macro model_attributes() -%}
    {%- set attributes = categorical_attributes() | list -%}
    {%- if var('persona_as_feature', false) | as_bool -%}
        {%- if 'persona' in attributes -%}
            {{ exceptions.raise_compiler_error(
                "categorical_attributes names 'persona', which persona_as_feature adds itself: rename the column") }}
        {%- endif -%}
        {%- do attributes.append('persona') -%}
    {%- endif -%}
    {{ return(attributes) }}
{%- endmacro %}
