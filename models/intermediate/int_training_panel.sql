-- The users whose history trains the models: at most `training_panel_users` users, picked by a hash of
-- their id, so the pick is the same on every run and for every segment and cutoff. Training cutoffs compute
-- features and labels for these users only, which bounds the cost of training however many users the
-- events hold; the scoring cutoff always covers every user.
--
-- The panel is picked among the users seen before tonight's refit day (int_refit_days), not among every
-- user of the events: a night replayed on a file that runs past its
-- as_of then trains on the panel its live night had, users who only arrive later take no place in it, and
-- the nights between two refit days train on one panel. (The daily rollup, not int_users: that one waits
-- for the user attributes, which the features would then wait for too.)
with

span as (

    select refit_days.refit_anchor_at
    from {{ ref('int_refit_days') }} as refit_days
    inner join {{ ref('int_data_span') }} as data_span
        on refit_days.scoring_cutoff_at = data_span.scoring_cutoff_at

),

users as (

    select distinct event_days.user_id
    from {{ ref('int_user_event_days') }} as event_days
    -- the cutoff is a midnight: a day lies wholly before it or not at all
    inner join span on event_days.event_date < cast(span.refit_anchor_at as date)

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
