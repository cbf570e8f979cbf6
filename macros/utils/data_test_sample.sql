{#- The users the leakage recount tests check: every user when there are at most `data_test_sample_users`,
    else about that many, drawn by md5 of the user and the scoring cutoff (another sample every as_of, the
    same one when a night is rerun). The recounts read every event of the users they check, so on large
    data checking everyone would cost as much as the features themselves and grow with the history. -#}
{% macro data_test_sample() -%}
    select users.user_id
    from {{ ref('int_users') }} as users
    cross join (select count(*) as n_users from {{ ref('int_users') }}) as counted
    cross join (select scoring_cutoff_at from {{ ref('int_data_span') }}) as span
    where
        {{ stable_fraction(
            "users.user_id || '|' || cast(span.scoring_cutoff_at as " ~ dbt.type_string() ~ ")"
        ) }}
        < {{ int_var('data_test_sample_users', 1) }} / cast(counted.n_users as double)
{%- endmacro %}
