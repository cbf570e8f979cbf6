{#- True when the time of day `time_sql` falls in the quiet hours [start, end). When start is later than
    end the quiet hours wrap midnight (22:00-08:00 is quiet from 22:00 to 07:59); no quiet hours when
    either is null or they are equal. -#}
{% macro is_quiet_time(time_sql, start_sql, end_sql) -%}
    case
        when {{ start_sql }} is null or {{ end_sql }} is null or {{ start_sql }} = {{ end_sql }} then false
        when {{ start_sql }} < {{ end_sql }} then {{ time_sql }} >= {{ start_sql }} and {{ time_sql }} < {{ end_sql }}
        else {{ time_sql }} >= {{ start_sql }} or {{ time_sql }} < {{ end_sql }}
    end
{%- endmacro %}
