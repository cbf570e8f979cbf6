-- Warns when the usable events hold one name written more than one way ('purchase' and 'Purchase',
-- 'add_to_cart' and 'add-to-cart': case, spaces, underscores or hyphens; see loose_event_name). They are
-- separate events, and a segment sees only the name it gives, so the other spelling's events would be left
-- out without a word. One row per such name, listing its spellings with their rows and the ones segments name.
{{ config(severity='warn') }}

{%- set named = [] %}
{%- for segment in get_segments() %}
    {%- for event in [segment.target_event, segment.eligible_event] + (segment.feature_events or []) %}
        {%- if event is not none and event not in named %}{% do named.append(event) %}{% endif %}
    {%- endfor %}
{%- endfor %}
{%- set quoted = [] %}
{%- for event in named %}{% do quoted.append(sql_string(event) | trim) %}{% endfor %}
{%- set failing_sql %}
with

spellings as (

    select
        event_name,
        {{ loose_event_name('event_name') }} as loose_name,
        sum(event_count) as event_rows,
        {{ "event_name in (" ~ quoted | join(', ') ~ ")" if quoted else 'false' }} as is_named
    from {{ ref('int_daily_event_counts') }}
    group by 1

),

summary as (

    select
        loose_name,
        count(*) as spelling_count,
        {{ text_agg(
            "'''' || event_name || ''' (' || cast(event_rows as " ~ dbt.type_string() ~ ") || ' rows)'",
            "', '",
            ['event_rows desc', 'event_name asc']
        ) }} as spellings_found,
        {{ text_agg(
            "case when is_named then '''' || event_name || '''' end", "', '", ['event_rows desc', 'event_name asc']
        ) }} as named_found
    from spellings
    group by 1

)

select
    loose_name,
    spelling_count,
    'One event name is written ' || spelling_count || ' ways, and each is an event of its own: '
    || spellings_found || '. A segment sees only the name it gives'
    || coalesce(' (the segments name ' || named_found || ')', '')
    || ': write them as one name in the input (a view over the file, read with events_table), or name the'
    || ' spelling you mean.' as message
from summary
where spelling_count > 1
{%- endset %}

{{ log_warnings(failing_sql, [ref('int_daily_event_counts')]) }}
{{ failing_sql }}
