{#- The key test of an incremental table that replaces whole days (strategy replace_recent_days): fails with
    each key combination that occurs more than once among the rows the latest run wrote (the rows with the
    newest `run_column`), and with each day whose rows more than one run wrote (a night that added a day's
    rows without replacing the stored ones). Every key holds its day (`day_column`, or a time in it), so
    keys of different days never collide, and each day's rows were checked by the run that wrote them: a
    night checks its own days, not the whole history again. A full build's rows are all its own, so it
    checks every row; so does any run with the var `data_test_full_history` true. -#}
{% test unique_combination_of_columns_per_run(model, combination_of_columns, day_column, run_column='built_at') %}
{%- set every_row = var('data_test_full_history', false) | as_bool %}
{%- set key = combination_of_columns | join(', ') %}

with

latest_run as (

    select max({{ run_column }}) as run_at
    from {{ model }}

),

checked_rows as (

    select {{ key }}
    from {{ model }}
    {%- if not every_row %}
    where {{ run_column }} = (select run_at from latest_run)
    {%- endif %}

),

duplicate_keys as (

    select
        'key occurs more than once' as failure,
        {{ key }},
        cast(null as date) as mixed_day,
        count(*) as row_count
    from checked_rows
    group by {{ key }}
    having count(*) > 1

),

mixed_days as (

    select
        'rows of one day written by more than one run' as failure,
        {%- for column in combination_of_columns %}
            null as {{ column }},
        {%- endfor %}
        cast({{ day_column }} as date) as mixed_day,
        count(*) as row_count
    from {{ model }}
    group by cast({{ day_column }} as date)
    having count(distinct {{ run_column }}) > 1

)

select * from duplicate_keys
union all
select * from mixed_days

{% endtest %}
