-- The users whose history trains the models: at most `training_panel_users` users, picked by a hash of
-- their id, so the pick is the same on every run and for every segment and cutoff. Training cutoffs compute
-- features and labels for these users only, which bounds the cost of training however many users the
-- events hold; the scoring cutoff always covers every user.
with

users as (

    select distinct user_id from {{ ref('int_user_event_days') }}

),

ranked as (

    select
        user_id,
        row_number() over (order by md5(user_id), user_id) as panel_rank
    from users

)

select
    user_id,
    panel_rank
from ranked
where panel_rank <= {{ int_var('training_panel_users', 1) }}
