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

-- Each term's contribution, and the reason it belongs to, as a key: the reason texts are long and most
-- are never shown, so terms are grouped and ranked by key and only each member's top candidates are
-- worded. A feature's terms (log and linear) share its reason; so do all of an event's terms when the
-- user never did the event ("never did ...") and its past-window terms when the user did not do it in the
-- window ("no ... in the last N days"), as their texts do.
reason_terms as (

    select
        *,
        min(term_order) over (
            partition by segment_name, term_kind, feature_name, event_name, attribute_value
        ) as feature_term,
        dense_rank() over (partition by segment_name order by event_name) as event_number,
        feature_name in (
            {%- for feature in catalog_features('event') | selectattr('lifetime') %}
                '{{ feature.name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_lifetime
    from terms

),

contributions as (

    select
        members.member_number,
        terms.term_order,
        terms.coefficient * {{ standardize('terms',
            "case when terms.term_kind = 'event' then " ~ event_feature_value('terms', 'event_features')
            ~ " else " ~ user_feature_value('terms', 'user_features') ~ " end") }} as contribution,
        -- the key: the feature's first term, or minus an event's number for its two shared reasons
        case
            when terms.term_kind != 'event' then terms.feature_term
            when event_features.event_name is null then -2 * terms.event_number
            when event_features.event_count = 0 and not terms.is_lifetime then -2 * terms.event_number - 1
            else terms.feature_term
        end as reason_key
    from members
    inner join reason_terms as terms on members.segment_name = terms.segment_name
    {{ member_feature_joins }}

),

reasons as (

    select
        member_number,
        reason_key,
        min(term_order) as term_order,
        -- to 1e-9 of a logit: reasons whose contributions differ by less are tied, and a tie goes to the
        -- reason's text, not to the last bits of floating-point sums (which differ between engines, and
        -- between two terms that the fit weighs equally)
        round(sum(contribution), 9) as contribution
    from contributions
    group by 1, 2

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
