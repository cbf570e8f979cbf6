{#- Functions every engine has under its own name. Each macro dispatches: a `duckdb__` and a `spark__`
    body, and a `default__` that stops the compile naming the adapter (add its body to support it). -#}

{#- The ISO weekday of a date or timestamp: 1 = Monday .. 7 = Sunday. -#}
{% macro iso_weekday(date_sql) -%}
    {{ return(adapter.dispatch('iso_weekday', 'predseg')(date_sql)) }}
{%- endmacro %}

{% macro default__iso_weekday(date_sql) -%}
    {{ exceptions.raise_compiler_error("iso_weekday is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__iso_weekday(date_sql) -%}
    isodow({{ date_sql }})
{%- endmacro %}

{% macro spark__iso_weekday(date_sql) -%}
    (((dayofweek({{ date_sql }}) + 5) % 7) + 1)
{%- endmacro %}

{#- An aggregate: the `value_sql` of the row with the greatest `key_sql` in the group. -#}
{% macro value_at_max(value_sql, key_sql) -%}
    {{ return(adapter.dispatch('value_at_max', 'predseg')(value_sql, key_sql)) }}
{%- endmacro %}

{% macro default__value_at_max(value_sql, key_sql) -%}
    {{ exceptions.raise_compiler_error("value_at_max is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__value_at_max(value_sql, key_sql) -%}
    arg_max({{ value_sql }}, {{ key_sql }})
{%- endmacro %}

{% macro spark__value_at_max(value_sql, key_sql) -%}
    max_by({{ value_sql }}, {{ key_sql }})
{%- endmacro %}

{#- In a select list: one output row per element of the list `list_sql` (no row for an empty list). -#}
{% macro unnest_list(list_sql) -%}
    {{ return(adapter.dispatch('unnest_list', 'predseg')(list_sql)) }}
{%- endmacro %}

{% macro default__unnest_list(list_sql) -%}
    {{ exceptions.raise_compiler_error("unnest_list is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__unnest_list(list_sql) -%}
    unnest({{ list_sql }})
{%- endmacro %}

{% macro spark__unnest_list(list_sql) -%}
    explode({{ list_sql }})
{%- endmacro %}

{#- In a select list: `count_sql` output rows numbered 0 .. count - 1 (none when the count is below 1). -#}
{% macro copy_numbers(count_sql) -%}
    {{ return(adapter.dispatch('copy_numbers', 'predseg')(count_sql)) }}
{%- endmacro %}

{% macro default__copy_numbers(count_sql) -%}
    {{ exceptions.raise_compiler_error("copy_numbers is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__copy_numbers(count_sql) -%}
    unnest(range({{ count_sql }}))
{%- endmacro %}

{% macro spark__copy_numbers(count_sql) -%}
    explode(case when {{ count_sql }} >= 1 then sequence(0, {{ count_sql }} - 1) else array() end)
{%- endmacro %}

{#- An aggregate: the texts of the group joined with `delimiter_sql`, in the order of `order_by` (a list
    of SQL expressions, each optionally followed by ` desc`; on Spark a descending key must be numeric).
    `distinct`: each text once (then the order must be the text itself). -#}
{% macro text_agg(expression_sql, delimiter_sql, order_by, distinct=false) -%}
    {{ return(adapter.dispatch('text_agg', 'predseg')(expression_sql, delimiter_sql, order_by, distinct)) }}
{%- endmacro %}

{% macro default__text_agg(expression_sql, delimiter_sql, order_by, distinct=false) -%}
    {{ exceptions.raise_compiler_error("text_agg is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__text_agg(expression_sql, delimiter_sql, order_by, distinct=false) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression_sql }}, {{ delimiter_sql }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{% macro spark__text_agg(expression_sql, delimiter_sql, order_by, distinct=false) -%}
    {#- null, as string_agg gives, when the group has no text (array_join of an empty array is '') #}
    case when count({{ expression_sql }}) > 0 then
    {% if distinct -%}
        array_join(array_sort(collect_set({{ expression_sql }})), {{ delimiter_sql }})
    {%- else -%}
        {%- set keys = [] -%}
        {%- for key in order_by -%}
            {%- set words = key.strip().split(' ') -%}
            {%- if words[-1] | lower == 'desc' -%}
                {%- do keys.append("'k" ~ loop.index ~ "', -(" ~ words[:-1] | join(' ') ~ ")") -%}
            {%- elif words[-1] | lower == 'asc' -%}
                {%- do keys.append("'k" ~ loop.index ~ "', " ~ words[:-1] | join(' ')) -%}
            {%- else -%}
                {%- do keys.append("'k" ~ loop.index ~ "', " ~ key) -%}
            {%- endif -%}
        {%- endfor -%}
        array_join(
            transform(
                array_sort(collect_list(named_struct({{ keys | join(', ') }}, 'text', {{ expression_sql }}))),
                item -> item.text
            ),
            {{ delimiter_sql }}
        )
    {%- endif %}
    end
{%- endmacro %}

{#- A relation of the whole numbers from `first_sql` to `last_sql` (both included) in a column `name`. -#}
{% macro number_rows(first_sql, last_sql, name) -%}
    {{ return(adapter.dispatch('number_rows', 'predseg')(first_sql, last_sql, name)) }}
{%- endmacro %}

{% macro default__number_rows(first_sql, last_sql, name) -%}
    {{ exceptions.raise_compiler_error("number_rows is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__number_rows(first_sql, last_sql, name) -%}
    select generate_series as {{ name }}
    from generate_series({{ first_sql }}, {{ last_sql }})
{%- endmacro %}

{% macro spark__number_rows(first_sql, last_sql, name) -%}
    select explode(sequence({{ first_sql }}, {{ last_sql }})) as {{ name }}
{%- endmacro %}

{#- An aggregate: the median (the mean of the two middle values for an even count). -#}
{% macro median_of(expression_sql) -%}
    {{ return(adapter.dispatch('median_of', 'predseg')(expression_sql)) }}
{%- endmacro %}

{% macro default__median_of(expression_sql) -%}
    percentile_cont(0.5) within group (order by {{ expression_sql }})
{%- endmacro %}

{% macro duckdb__median_of(expression_sql) -%}
    median({{ expression_sql }})
{%- endmacro %}

{#- True for a finite number, false for NaN and infinities (null for null). -#}
{% macro is_finite(number_sql) -%}
    {{ return(adapter.dispatch('is_finite', 'predseg')(number_sql)) }}
{%- endmacro %}

{% macro default__is_finite(number_sql) -%}
    {{ exceptions.raise_compiler_error("is_finite is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__is_finite(number_sql) -%}
    isfinite({{ number_sql }})
{%- endmacro %}

{% macro spark__is_finite(number_sql) -%}
    (not isnan({{ number_sql }}) and abs({{ number_sql }}) != double('infinity'))
{%- endmacro %}

{#- A list (array) of texts from SQL text expressions `items_sql`, or a null list when `items_sql` is none. -#}
{% macro text_list(items_sql) -%}
    {{ return(adapter.dispatch('text_list', 'predseg')(items_sql)) }}
{%- endmacro %}

{% macro default__text_list(items_sql) -%}
    {{ exceptions.raise_compiler_error("text_list is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__text_list(items_sql) -%}
    {%- if items_sql is none -%}
        cast(null as {{ dbt.type_string() }}[])
    {%- else -%}
        cast([{{ items_sql | join(', ') }}] as {{ dbt.type_string() }}[])
    {%- endif -%}
{%- endmacro %}

{% macro spark__text_list(items_sql) -%}
    {%- if items_sql is none -%}
        cast(null as array<string>)
    {%- else -%}
        cast(array({{ items_sql | join(', ') }}) as array<string>)
    {%- endif -%}
{%- endmacro %}

{#- Times of day (the campaigns' send times and quiet hours). DuckDB has a TIME type; Spark has none, so
    there a time of day is its 'HH:mm:ss' text, which orders the same way and compares as text.
    time_of_day(value_sql): a time, or text such as '10:00' or '10:00:00', as a time of day.
    time_of_day_of(timestamp_sql): the time of day of a timestamp.
    at_time_of_day(date_sql, time_sql): the timestamp of a date at a time of day. -#}
{% macro time_of_day(value_sql) -%}
    {{ return(adapter.dispatch('time_of_day', 'predseg')(value_sql)) }}
{%- endmacro %}

{% macro default__time_of_day(value_sql) -%}
    {{ exceptions.raise_compiler_error("time_of_day is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__time_of_day(value_sql) -%}
    cast({{ value_sql }} as time)
{%- endmacro %}

{% macro spark__time_of_day(value_sql) -%}
    date_format(cast(concat('1970-01-01 ', trim(cast({{ value_sql }} as string))) as timestamp), 'HH:mm:ss')
{%- endmacro %}

{% macro time_of_day_of(timestamp_sql) -%}
    {{ return(adapter.dispatch('time_of_day_of', 'predseg')(timestamp_sql)) }}
{%- endmacro %}

{% macro default__time_of_day_of(timestamp_sql) -%}
    {{ exceptions.raise_compiler_error("time_of_day_of is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__time_of_day_of(timestamp_sql) -%}
    cast({{ timestamp_sql }} as time)
{%- endmacro %}

{% macro spark__time_of_day_of(timestamp_sql) -%}
    date_format({{ timestamp_sql }}, 'HH:mm:ss')
{%- endmacro %}

{% macro at_time_of_day(date_sql, time_sql) -%}
    {{ return(adapter.dispatch('at_time_of_day', 'predseg')(date_sql, time_sql)) }}
{%- endmacro %}

{% macro default__at_time_of_day(date_sql, time_sql) -%}
    {{ exceptions.raise_compiler_error("at_time_of_day is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__at_time_of_day(date_sql, time_sql) -%}
    ({{ date_sql }} + {{ time_sql }})
{%- endmacro %}

{% macro spark__at_time_of_day(date_sql, time_sql) -%}
    cast(concat(cast({{ date_sql }} as string), ' ', {{ time_sql }}) as timestamp)
{%- endmacro %}

{#- A list of timestamps from `start_sql` to `stop_sql` (both included) every `step_minutes` minutes; with
    unnest_list, one row each. -#}
{% macro timestamp_steps(start_sql, stop_sql, step_minutes) -%}
    {{ return(adapter.dispatch('timestamp_steps', 'predseg')(start_sql, stop_sql, step_minutes)) }}
{%- endmacro %}

{% macro default__timestamp_steps(start_sql, stop_sql, step_minutes) -%}
    {{ exceptions.raise_compiler_error("timestamp_steps is not implemented for adapter " ~ adapter.type()) }}
{%- endmacro %}

{% macro duckdb__timestamp_steps(start_sql, stop_sql, step_minutes) -%}
    generate_series({{ start_sql }}, {{ stop_sql }}, interval {{ step_minutes | int }} minute)
{%- endmacro %}

{% macro spark__timestamp_steps(start_sql, stop_sql, step_minutes) -%}
    sequence({{ start_sql }}, {{ stop_sql }}, interval {{ step_minutes | int }} minutes)
{%- endmacro %}
