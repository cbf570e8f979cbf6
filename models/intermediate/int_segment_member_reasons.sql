-- The reasons of each segment member (segment_members): the three model terms that raise the member's
-- score most (contribution = coefficient x standardized value, so relative to an average training user),
-- in words. A member none of whose terms raises the score has no row.
--
-- A model of its own rather than a part of segment_members: in one query with the members' ranking and
-- the final join, DuckDB's plan held more than the memory limit at two threads on two million members,
-- while the two queries run in a fraction of the time and within it.
{#- a member's features for a term: the member's user row, and the row of the term's event -#}
{%- set member_feature_joins -%}
    left join member_users as user_features on members.member_number = user_features.member_number
    left join member_events as event_features
        on
            members.member_number = event_features.member_number
            and terms.event_name = event_features.event_name
{%- endset %}
{%- set event_catalog = catalog_features('event') %}
with

scores as (

    select * from {{ ref('segment_scores') }}
    where is_member

),

terms as (

    select * from {{ ref('segment_models') }}
    where model_role = 'scoring' and term_kind in ('event', 'user', 'attribute')

),

cutoffs as (

    select * from {{ ref('int_cutoffs') }}
    where cutoff_role = 'scoring'

),

members as (

    select
        scores.segment_name,
        scores.user_id,
        scores.cutoff_at,
        cutoffs.past_days,
        -- one number per (segment, member): the reasons are grouped and ranked by this integer
        row_number() over (order by scores.segment_name, scores.user_id) as member_number
    from scores
    inner join cutoffs on scores.segment_name = cutoffs.segment_name

),

-- each member's feature rows, found once by (cutoff, window, user) and then joined to the terms by the
-- member's number: cheaper than looking up every (member, term) pair by the feature tables' keys. Read
-- twice (every term, then the worded candidates), so computed once.
member_events as {{ materialized_cte() }} (

    select
        members.member_number,
        members.segment_name,
        features.*
    from members
    inner join {{ ref('int_user_event_features') }} as features
        on
            members.cutoff_at = features.cutoff_at
            and members.past_days = features.past_days
            and members.user_id = features.user_id

),

member_users as {{ materialized_cte() }} (

    select
        members.member_number,
        features.*
    from members
    inner join {{ ref('int_user_features') }} as features
        on
            members.cutoff_at = features.cutoff_at
            and members.past_days = features.past_days
            and members.user_id = features.user_id

),

-- The reasons, each with a key: the reason texts are long and most are never shown, so reasons are ranked
-- by key and only each member's top candidates are worded. A feature's terms (log and linear) share its
-- reason (its first term is the key); so do all of an event's terms when the user never did the event
-- ("never did ...", key minus twice the event's number) and its past-window terms when the user did not
-- do it in the window ("no ... in the last N days", one less), as their texts do.
reason_terms as (

    select
        *,
        min(term_order) over (
            partition by segment_name, term_kind, feature_name, event_name, attribute_value
        ) as feature_term,
        dense_rank() over (partition by segment_name order by event_name) as event_number,
        feature_name in (
            {%- for feature in event_catalog | selectattr('lifetime') %}
                '{{ feature.name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_lifetime
    from terms

),

-- each (segment, event)'s terms as one row: per feature its first term, and each term's coefficient,
-- center, scale and fill value (a member's event row is then paired with one row, not with every term)
event_sets as (

    select
        reason_terms.segment_name,
        reason_terms.event_name,
        reason_terms.event_number,
        min(reason_terms.term_order) as first_term,
        min(case when not reason_terms.is_lifetime then reason_terms.term_order end) as first_window_term,
        {%- for feature in event_catalog %}
            min(case when reason_terms.feature_name = '{{ feature.name }}' then reason_terms.term_order end)
                as term__{{ feature.name }},
        {%- endfor %}
        {{ event_term_columns('reason_terms') }}
    from reason_terms
    where reason_terms.term_kind = 'event'
    group by 1, 2, 3

),

-- per event set, what every one of its terms contributes at its fill value: a member's "never did ..."
never_sets as (

    select
        *,
        0
        {%- for feature in event_catalog %}
            + {{ feature_contribution(feature, 'event_sets', 'null') }}
        {%- endfor %} as never_contribution
    from event_sets

),

-- each feature's contribution (its terms summed) for every event row of a member
event_contributions as (

    select
        member_events.member_number,
        event_sets.event_number,
        event_sets.first_window_term,
        {%- for feature in event_catalog %}
            event_sets.term__{{ feature.name }},
            case
                when event_sets.term__{{ feature.name }} is not null
                    then {{ feature_contribution(feature, 'event_sets', 'member_events.' ~ feature.name) }}
            end as contribution__{{ feature.name }},
        {%- endfor %}
        member_events.event_count
    from member_events
    inner join event_sets
        on
            member_events.segment_name = event_sets.segment_name
            and member_events.event_name = event_sets.event_name

),

-- a row per reason an event row can give: slot 0 for "no ...", slot n for the n-th event feature
slots as (

    {{ number_rows(0, event_catalog | length, 'slot') }}

),

-- one row per reason of an event row: each feature's while the user did the event in the window;
-- otherwise each lifetime feature's, and one "no ..." for the others
event_reasons as (

    select
        event_contributions.member_number,
        case slots.slot
            when 0 then -2 * event_contributions.event_number - 1
            {%- for feature in event_catalog %}
                when {{ loop.index }} then event_contributions.term__{{ feature.name }}
            {%- endfor %}
        end as reason_key,
        case slots.slot
            when 0 then event_contributions.first_window_term
            {%- for feature in event_catalog %}
                when {{ loop.index }} then event_contributions.term__{{ feature.name }}
            {%- endfor %}
        end as term_order,
        -- to 1e-9 of a logit: reasons whose contributions differ by less are tied, and a tie goes to the
        -- reason's text, not to the last bits of floating-point sums (which differ between engines, and
        -- between two terms that the fit weighs equally)
        round(
            case slots.slot
                when 0
                    then case
                        when event_contributions.event_count = 0
                            then (
                                0
                                {%- for feature in event_catalog | rejectattr('lifetime') %}
                                    + coalesce(event_contributions.contribution__{{ feature.name }}, 0)
                                {%- endfor %}
                            )
                    end
                {%- for feature in event_catalog %}
                    {%- if feature.lifetime %}
                        when {{ loop.index }} then event_contributions.contribution__{{ feature.name }}
                    {%- else %}
                        when {{ loop.index }}
                            then case
                                when event_contributions.event_count > 0
                                    then event_contributions.contribution__{{ feature.name }}
                            end
                    {%- endif %}
                {%- endfor %}
            end, 9
        ) as contribution
    from event_contributions
    cross join slots

),

-- the events a member never did: one reason each
never_reasons as (

    select
        members.member_number,
        -2 * never_sets.event_number as reason_key,
        never_sets.first_term as term_order,
        round(never_sets.never_contribution, 9) as contribution
    from members
    inner join never_sets on members.segment_name = never_sets.segment_name
    left join member_events
        on
            members.member_number = member_events.member_number
            and never_sets.event_name = member_events.event_name
    where member_events.member_number is null

),

-- the user-level and attribute terms, summed per feature (an attribute's value is a feature of its own)
user_reasons as (

    select
        members.member_number,
        terms.feature_term as reason_key,
        min(terms.term_order) as term_order,
        round(sum(terms.coefficient * {{ standardize('terms', user_feature_value('terms', 'user_features')) }}), 9)
            as contribution
    from members
    inner join reason_terms as terms on members.segment_name = terms.segment_name
    left join member_users as user_features on members.member_number = user_features.member_number
    where terms.term_kind != 'event'
    group by 1, 2

),

reasons as (

    select * from event_reasons
    union all
    select * from never_reasons
    union all
    select * from user_reasons

),

-- the reasons that can be among a member's top three: no more than two reasons contribute more
candidates as (

    select *
    from (
        select
            *,
            rank() over (partition by member_number order by contribution desc) as contribution_rank
        from reasons
        where contribution > 0
    ) as ranked
    where contribution_rank <= 3

),

worded as (

    select
        candidates.member_number,
        members.segment_name,
        members.user_id,
        candidates.contribution,
        {{ reason_text('terms', 'event_features', 'user_features', 'members.past_days') }} as reason
    from candidates
    inner join members on candidates.member_number = members.member_number
    inner join terms
        on
            members.segment_name = terms.segment_name
            and candidates.term_order = terms.term_order
    {{ member_feature_joins }}

),

top_reasons as (

    select
        member_number,
        segment_name,
        user_id,
        reason,
        row_number() over (partition by member_number order by contribution desc, reason asc) as reason_rank
    from worded

),

final as (

    select
        member_number,
        segment_name,
        user_id,
        max(case when reason_rank = 1 then reason end) as reason_1,
        max(case when reason_rank = 2 then reason end) as reason_2,
        max(case when reason_rank = 3 then reason end) as reason_3
    from top_reasons
    where reason_rank <= 3
    group by 1, 2, 3

)

select
    segment_name,
    user_id,
    reason_1,
    reason_2,
    reason_3
from final
