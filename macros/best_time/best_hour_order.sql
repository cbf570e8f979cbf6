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
