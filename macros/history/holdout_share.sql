{#- The `holdout_share` var as a SQL number in [0, 1), or a compile error naming the var. -#}
{% macro holdout_share() -%}
    {%- set raw = var('holdout_share', 0) -%}
    {%- set share = 0 if raw is none else raw | float(-1) -%}
    {%- if share < 0 or share >= 1 -%}
        {{ exceptions.raise_compiler_error(
            "var 'holdout_share' must be a number from 0 (no holdout) up to but not including 1, got '"
            ~ raw ~ "'") }}
    {%- endif -%}
    {{ return(share) }}
{%- endmacro %}

{#- True for the members of a segment kept out of campaigns: a stable fraction of the segment name, the
    user id and the `holdout_salt` var below `holdout_share`, so a user is in (or out of) a segment's
    holdout on every night. -#}
{% macro is_holdout(segment_name_sql, user_id_sql) -%}
    {%- set key = "'" ~ (var('holdout_salt', '') | string | replace("'", "''")) ~ "|' || " ~ segment_name_sql
        ~ " || '|' || " ~ user_id_sql -%}
    ({{ stable_fraction(key) }} < {{ holdout_share() }})
{%- endmacro %}
