-- Every distinct input event row (identical rows once, with their number of copies), parsed in SQL, with
-- the reason it cannot be used (null when it can). The single place where event rows are judged:
-- stg_events keeps the usable rows, stg_events_rejected the others, so nothing is dropped silently. The
-- input's columns are checked before anything reads it. A CSV file comes through base_events_input, which
-- adds a row per line the reader could not read.
--
-- Incremental on DuckDB (strategy replace_recent_days): a night judges again only the input rows of its
-- newest `late_event_days` days and those without a day; older days are final. The input's rows on those
-- older days are still counted per day, and the build stops, asking for `--full-refresh`, when they are not
-- the rows earlier nights staged (events more than `late_event_days` days late, or another input), or when
-- the data start moved over staged days, or when the input is read otherwise than the staged rows were (the
-- table's comment records how: record_input_settings). A full refresh gives the same table. On Spark it is
-- a table.
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_recent_days',
    day_column='event_date',
    recent_days_where='reject_reason is null',
    on_schema_change='fail',
    post_hook=[] if target.type == 'spark' else ["{{ record_input_settings(this, base_events_input_settings()) }}"]
) }}
{%- set text_format = event_time_format() %}
{%- set input = ref('base_events_input') if input_is_csv('events') else input_relation('events') %}
{%- set single_event = single_event_name() %}
{%- set names = input_column_names('events') %}
{%- set columns = input_columns('events', input, names.required, names.optional, names.mapping_var) %}
{%- set input_settings = base_events_input_settings() %}
{#- a text column may spell a missing field as a word (NULL, NA, N/A ...): missing, not a value of that name
    (typed columns have real nulls). Event names are left as written: an event named so is visible as such,
    where a user named NULL would silently be every anonymous event's user. -#}
{%- set is_text = {} %}
{%- for name in ['user_id', 'event_time', 'value'] %}
    {%- do is_text.update({name: columns[name].column is not none and input_type_kind(columns[name].type) == 'text'}) %}
{%- endfor %}
{%- set value_sql = parse_number('value_input', 'value_raw', columns.value.type) %}
{%- if is_text.value %}
    {%- set value_sql = 'case when not ' ~ is_null_marker('value_raw') ~ ' then ' ~ value_sql ~ ' end' %}
{%- endif %}
{%- set missing_user = 'user_id_raw is null' ~ (' or ' ~ is_null_marker('user_id_raw') if is_text.user_id else '') %}
{%- set missing_time = input_is_missing(columns, 'event_time', 'event_time_input', 'event_time_raw') ~ (
    ' or (event_at is null and ' ~ is_null_marker('event_time_raw') ~ ')' if is_text.event_time else '') %}
{%- set unparseable_value = 'not ' ~ input_is_missing(columns, 'value', 'value_input', 'value_raw')
    ~ ' and value is null' ~ (' and not ' ~ is_null_marker('value_raw') if is_text.value else '') %}
{#- the first day a night judges again, as a constant: the filters then reach the input's scan -#}
{%- set first_day = none %}
{%- if is_incremental() and execute %}
    {%- set staged_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list %}
    {%- set missing = ['event_date', 'copies', 'built_at', 'value_mark'] | reject('in', staged_columns) | list %}
    {%- set earlier = 'it has no ' ~ missing | join(', ') ~ ' column' if missing
        else ('it keeps the input settings in a column' if 'input_settings' in staged_columns else none) %}
    {%- if earlier %}
        {{ exceptions.raise_compiler_error(
            "base_events in " ~ this ~ " was built by an earlier version of this project (" ~ earlier
            ~ "): run `dbt build --full-refresh` once to stage every day again.") }}
    {%- endif %}
    {%- set first_day = recent_days_first_day(this, 'event_date', 'reject_reason is null') %}
    {#- With no usable row staged, every day is judged again: nothing to compare. Otherwise every staged row
        was read with the settings the table's comment records (a night with others stops; one with none
        usable replaces every row). -#}
    {%- if first_day | string != '1900-01-01' %}
        {%- set before = recorded_input_settings(this) %}
        {%- if before is none %}
            {{ exceptions.raise_compiler_error(
                "base_events in " ~ this ~ " has no record of how its rows were read (its table comment holds"
                ~ " the input settings, and it is empty or not JSON): run `dbt build --full-refresh` once to"
                ~ " stage every day again.") }}
        {%- endif %}
        {%- set changed = [] %}
        {%- for name in (input_settings.keys() | list + before.keys() | list) | unique | sort
              if before.get(name) != input_settings.get(name) %}
            {%- set unset = false if name == 'keep_duplicate_events' else none %}
            {%- do changed.append(name ~ ' was ' ~ tojson(before.get(name, unset)) ~ ', now '
                ~ tojson(input_settings.get(name, unset))) %}
        {%- endfor %}
        {%- if changed %}
            {{ exceptions.raise_compiler_error(
                "The events were staged with other input settings than this build's ("
                ~ changed | join('; ') ~ "). A night reads only its newest late_event_days days"
                ~ " again, so older days would keep the old reading: run `dbt build --full-refresh` once to stage"
                ~ " every day with the new settings.") }}
        {%- endif %}
    {%- endif %}
{%- endif %}

with

source as {{ materialized_cte(false) }} (

    {% if input_is_csv('events') -%}
        select * from {{ input }}
    {%- else -%}
        {#- no dependency on base_events_input, which is empty here: without it, staging the events (the
            head of the build's longest chain) is ready at the build's start instead of queueing behind the
            seeds dbt ranks before it. Whether the input is a CSV file depends on vars only, and dbt parses
            the project again when they change, so the dependency is there whenever it is read. -#}
        select
            *,
            cast(null as bigint) as input_line,
            cast(null as {{ dbt.type_string() }}) as unreadable_reason,
            cast(null as {{ dbt.type_string() }}) as raw_line
        from {{ input }}
        {%- if first_day is not none and input_type_kind(columns.event_time.type) in ('time', 'number') %}
        -- a typed time is parsed cheaply: the night's rows are chosen before any other column is read (a
        -- comparison or a null test, not a coalesce: so the Parquet reader skips the row groups of a file
        -- written in time order whose times all lie before the night's days)
        {%- set input_time = parse_utc_time(input_column(columns, 'event_time'), 'null', columns.event_time.type) %}
        where {{ input_time }} >= cast('{{ first_day }}' as timestamp) or {{ input_time }} is null
        {%- endif %}
    {%- endif %}

),

renamed as {{ materialized_cte(false) }} (

    select
        {{ input_text(columns, 'user_id') }} as user_id_raw,
        {{ sql_string(single_event) if single_event else input_text(columns, 'event_name') }} as event_name,
        {{ input_column(columns, 'event_time') }} as event_time_input,
        -- the trimmed text, where parsing or the missing check needs it (a typed input needs none)
        {{ input_text(columns, 'event_time') }} as event_time_raw,
        {{ input_column(columns, 'value') }} as value_input,
        {{ input_text(columns, 'value') }} as value_raw,
        unreadable_reason,
        coalesce('line ' || input_line || ' ', '') || '(' || unreadable_reason || '): ' || raw_line
            as unreadable_line

    from source

),

parsed as {{ materialized_cte(false) }} (

    select
        {{ normalize_id('user_id_raw') }} as user_id,
        user_id_raw,
        event_name,
        {{ parse_utc_time('event_time_input', 'event_time_raw', columns.event_time.type, text_format) }} as event_at,
        {{ value_sql }} as value,
        {{ value_mark('value_raw', columns.value.type) }} as value_mark,
        event_time_input,
        value_input,
        event_time_raw,
        value_raw,
        unreadable_reason,
        unreadable_line

    from renamed

),

dated as {{ materialized_cte(false) }} (

    select
        *,
        cast(event_at as date) as event_date
    from parsed

),

{%- if is_incremental() %}

-- the input's rows per older day, to compare with what earlier nights staged (a scan of the time only)
input_older_days as (

    select
        event_date,
        count(*) as input_rows
    from (
        select
            cast({{ parse_utc_time(
                input_column(columns, 'event_time'),
                input_text(columns, 'event_time'),
                columns.event_time.type,
                text_format
            ) }} as date) as event_date
        from {{ input }}
    ) as input_days
    where event_date < cast('{{ first_day }}' as date)
    group by event_date

),

staged_older_days as (

    select
        staged.event_date,
        sum(staged.copies) as staged_rows,
        sum(case when staged.reject_reason is null then staged.copies else 0 end) as usable_rows,
        sum(case when staged.reject_reason = 'before_data_start' then staged.copies else 0 end) as early_rows
    from {{ this }} as staged
    where staged.event_date < cast('{{ first_day }}' as date)
    group by staged.event_date

),

older_days_check as (

    select
        count(*) as differing_days,
        min(coalesce(input_older_days.event_date, staged_older_days.event_date)) as first_differing_day
    from input_older_days
    full outer join staged_older_days on input_older_days.event_date = staged_older_days.event_date
    where coalesce(input_older_days.input_rows, 0) != coalesce(staged_older_days.staged_rows, 0)

),

{%- endif %}

-- read twice (the usable days and the final rows). A full build computes it twice, as the CTEs before it:
-- parsing the input again costs less than keeping every parsed row in memory between the two readers. A
-- night judges only its recent days' rows, which are few: computed once, the input is scanned once less.
judged as {{ materialized_cte(is_incremental()) }} (

    select
        user_id,
        event_name,
        event_at,
        value,
        value_mark,
        event_time_input,
        value_input,
        unreadable_line,
        case
            when unreadable_reason is not null then 'unreadable_line'
            -- the same as the normalized id being null (a non-blank id never normalizes to blank), and
            -- cheaper where only the reason is read (the usable days)
            when {{ missing_user }} then 'missing_user_id'
            when event_name is null then 'missing_event_name'
            when {{ missing_time }} then 'missing_event_time'
            when event_at is null then 'unparseable_event_time'
            when event_at > {{ dbt.dateadd(
                'hour',
                var('future_event_tolerance_hours'),
                "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)"
            ) }} then 'event_time_in_future'
            when {{ unparseable_value }} then 'unparseable_value'
            when not {{ is_finite('value') }} then 'non_finite_value'
            when abs(value) > {{ var('max_event_value') }} then 'value_out_of_range'
            when value < 0 then 'negative_value'
        end as reject_reason,
        event_date

    from dated
    {%- if is_incremental() %}
    where event_date is null or event_date >= cast('{{ first_day }}' as date)
    {%- endif %}

),

usable_days as (

    select
        event_date,
        count(*) as event_count
    from judged
    where reject_reason is null
    group by 1
    {%- if is_incremental() %}

    union all

    -- the older days' usable rows, those before the data start included (the start is judged again)
    select
        event_date,
        usable_rows + early_rows as event_count
    from staged_older_days
    where usable_rows + early_rows > 0
    {%- endif %}

),

previous_days as (

    select
        event_date,
        event_count,
        lag(event_date) over (order by event_date) as previous_event_date
    from usable_days

),

day_gaps as (

    select
        event_date,
        coalesce(sum(event_count) over (
            order by event_date rows between unbounded preceding and 1 preceding
        ), 0) as events_before,
        sum(event_count) over () as total_events,
        {{ dbt.datediff('previous_event_date', 'event_date', 'day') }} as gap_days  -- noqa: LT05
    from previous_days

),

data_start as (

    -- the first day after the last long gap that only a few stray events precede
    select
        coalesce(
            max(
                case
                    when
                        gap_days >= {{ int_var('stray_event_gap_days', 1) }}
                        and events_before <= {{ var('stray_event_max_share') }} * total_events
                        then event_date
                end
            ),
            min(event_date)
        ) as data_start_date
    from day_gaps

),
{%- if is_incremental() %}

-- older days judged against another data start than today's: only a full refresh can judge them again
data_start_check as (

    select count(*) as moved_days
    from staged_older_days
    cross join data_start
    where
        (staged_older_days.usable_rows > 0 and staged_older_days.event_date < data_start.data_start_date)
        or (staged_older_days.early_rows > 0 and staged_older_days.event_date >= data_start.data_start_date)

),
{%- endif %}

final_reasons as (

    select
        judged.user_id,
        judged.event_name,
        judged.event_at,
        judged.value,
        judged.value_mark,
        judged.event_time_input,
        judged.value_input,
        judged.unreadable_line,
        judged.event_date,
        case
            when judged.reject_reason is not null then judged.reject_reason
            when judged.event_date < data_start.data_start_date then 'before_data_start'
        end as reject_reason

    from judged
    cross join data_start

),

{%- if is_incremental() %}

-- stops the night when the older days are not what earlier nights staged, or their data start moved
checks as (

    select
        {{ raise_if(
            'older_days_check.differing_days > 0',
            "'the events input holds other rows than earlier nights staged on ' || older_days_check.differing_days"
            ~ " || ' day(s) before " ~ first_day ~ " (the first: '"
            ~ " || cast(older_days_check.first_differing_day as varchar) || '): events arrived more than"
            ~ " late_event_days (' || " ~ int_var('late_event_days', 0) ~ " || ') days late, or the input was"
            ~ " replaced. Run dbt build --full-refresh once to stage every day again.'"
        ) }} as older_days_failure,
        {{ raise_if(
            'data_start_check.moved_days > 0',
            "'the usable events now start on another day than earlier nights judged (stray_event_gap_days,"
            ~ " stray_event_max_share): ' || data_start_check.moved_days || ' staged day(s) change. Run dbt build"
            ~ " --full-refresh once to judge every day again.'"
        ) }} as data_start_failure
    from older_days_check
    cross join data_start_check

),
{%- endif %}

final as (

    -- identical rows once: the usable ones are the deduplicated events, and each row keeps its copies; the
    -- input's text for the rejected rows only (nobody reads it for the others, and converting every typed
    -- input to text would cost more than all the judging)
    select
        user_id,
        event_name,
        event_at,
        event_date,
        value,
        value_mark,
        case when reject_reason is not null then {{ input_text(columns, 'event_time', 'event_time_input') }} end
            as event_time_raw,
        case when reject_reason is not null then {{ input_text(columns, 'value', 'value_input') }} end as value_raw,
        unreadable_line,
        reject_reason,
        cast(count(*) as bigint) as copies,
        {{ built_at() }} as built_at
    from final_reasons
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10

)

select final.*
from final
{%- if is_incremental() %}
    cross join checks
where
    checks.older_days_failure is null
    and checks.data_start_failure is null
{%- endif %}
