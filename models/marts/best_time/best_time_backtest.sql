-- Does personal timing beat the app-wide hour? Best hours are chosen from a history window that ends a
-- week before the scoring cutoff, then checked on that last week: for every day a user was active, was
-- the user active in the chosen local hour? Three ways of choosing: the user's own daily best hour for
-- that weekday (the app's when the user has none), the app's best hour, and a random hour.
with

activity as (

    select * from {{ ref('int_user_local_activity') }}

),

user_hours as (

    select * from {{ ref('int_user_best_hours') }}
    where history_window = 'backtest'

),

app_hours as (

    select * from {{ ref('int_app_best_hours') }}
    where history_window = 'backtest'

),

test_hours as (

    select distinct
        user_id,
        local_date,
        local_weekday,
        local_hour
    from activity
    where days_before_cutoff < 7

),

test_days as (

    select distinct
        user_id,
        local_date,
        local_weekday
    from test_hours

),

choices as (

    select
        test_days.user_id,
        test_days.local_date,
        'personal_best_hour' as choice_method,
        coalesce(user_hours.daily_best_hour, app_hours.best_hour) as chosen_hour
    from test_days
    left join user_hours
        on
            test_days.user_id = user_hours.user_id
            and test_days.local_weekday = user_hours.local_weekday
    left join app_hours on test_days.local_weekday = app_hours.local_weekday
    union all
    select
        test_days.user_id,
        test_days.local_date,
        'app_best_hour' as choice_method,
        app_hours.best_hour as chosen_hour
    from test_days
    left join app_hours on test_days.local_weekday = app_hours.local_weekday
    union all
    select
        test_days.user_id,
        test_days.local_date,
        'random_hour' as choice_method,
        {{ stable_random_hour("test_days.user_id || cast(test_days.local_date as " ~ dbt.type_string() ~ ")") }}
            as chosen_hour
    from test_days

),

span as (

    select as_of_date from {{ ref('int_data_span') }}

),

hits as (

    select
        choices.choice_method,
        count(*) as active_user_days,
        count(test_hours.user_id) as hits,
        cast(count(test_hours.user_id) as double) / count(*) as hit_rate
    from choices
    left join test_hours
        on
            choices.user_id = test_hours.user_id
            and choices.local_date = test_hours.local_date
            and choices.chosen_hour = test_hours.local_hour
    group by 1

),

final as (

    select
        hits.choice_method,
        span.as_of_date,
        {{ run_id() }} as run_id,
        hits.active_user_days,
        hits.hits,
        hits.hit_rate
    from hits
    cross join span

)

select * from final
