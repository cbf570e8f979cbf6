{#- The order that ranks candidate hours, best first: most active days, then most events, then the
    earliest hour (`best_hour_tie_break: earliest`, the default) or the latest (`latest`). -#}
{% macro best_hour_order(active_days, event_count, hour) -%}
    {%- set tie_break = var('best_hour_tie_break', 'earliest') -%}
    {%- if tie_break not in ['earliest', 'latest'] -%}
        {{ exceptions.raise_compiler_error(
            "var 'best_hour_tie_break' must be earliest or latest, got '" ~ tie_break ~ "'") }}
    {%- endif -%}
    {{ active_days }} desc, {{ event_count }} desc, {{ hour }} {{ 'asc' if tie_break == 'earliest' else 'desc' }}
{%- endmacro %}

{#- The same ranking as one sortable bigint key (greater is better), for arg_max: the best hour of a group
    in one aggregation instead of a window sort. Active days take the bits from 2^40 up, events (capped at
    2^34 - 1, a count no user-hour reaches) the next 34, the tie-break the last 5. -#}
{% macro best_hour_key(active_days, event_count, hour) -%}
    {%- set tie_break = var('best_hour_tie_break', 'earliest') -%}
    {%- if tie_break not in ['earliest', 'latest'] -%}
        {{ exceptions.raise_compiler_error(
            "var 'best_hour_tie_break' must be earliest or latest, got '" ~ tie_break ~ "'") }}
    {%- endif -%}
    (cast({{ active_days }} as bigint) * 1099511627776
        + least(cast({{ event_count }} as bigint), 17179869183) * 32
        + {{ '31 - ' if tie_break == 'earliest' }}{{ hour }})
{%- endmacro %}
