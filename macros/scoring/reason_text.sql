{#- A readable reason for one model term and user, for example
    "days since last app_open 6.0 vs usual gap 2.1". `term` is a segment_models row alias, `features` the
    matching int_user_event_features row (may be null: the user never did the event), `users` the
    int_user_features row, `past_days` the window length. -#}
{% macro reason_text(term, features, users, past_days) -%}
    case
        when {{ term }}.term_kind = 'attribute'
            then replace({{ term }}.feature_name, 'attribute_', '') || ' is ' || {{ term }}.attribute_value
        when {{ term }}.term_kind = 'user' then
            case {{ term }}.feature_name
                when 'tenure_days' then 'user for ' || round({{ users }}.tenure_days, 1) || ' days'
                when 'days_since_last_event'
                    then 'last seen ' || round({{ users }}.days_since_last_event, 1) || ' days ago'
                when 'active_days'
                    then 'active on ' || {{ users }}.active_days || ' of the last ' || {{ past_days }} || ' days'
            end
        when {{ features }}.event_name is null
            then 'never did ' || {{ term }}.event_name
        when {{ features }}.event_count = 0
            and {{ term }}.feature_name not in ('lifetime_count', 'lifetime_days_since_last')
            then 'no ' || {{ term }}.event_name || ' in the last ' || {{ past_days }} || ' days'
        else
            case {{ term }}.feature_name
                when 'event_count'
                    then {{ features }}.event_count || ' ' || {{ term }}.event_name || ' in the last '
                    || {{ past_days }} || ' days'
                when 'days_since_last'
                    then 'last ' || {{ term }}.event_name || ' ' || round({{ features }}.days_since_last, 1)
                    || ' days ago'
                when 'mean_gap_days'
                    then 'usual gap between ' || {{ term }}.event_name || ' '
                    || coalesce(round({{ features }}.mean_gap_days, 1) || ' days', 'unknown')
                when 'max_gap_days'
                    then 'longest gap between ' || {{ term }}.event_name || ' '
                    || coalesce(round({{ features }}.max_gap_days, 1) || ' days', 'unknown')
                when 'recency_gap_ratio'
                    then 'days since last ' || {{ term }}.event_name || ' '
                    || round({{ features }}.days_since_last, 1) || ' vs usual gap '
                    || coalesce(cast(round({{ features }}.mean_gap_days, 1) as {{ dbt.type_string() }}), 'unknown')
                when 'trend'
                    then {{ term }}.event_name || ' trend ' || round({{ features }}.trend, 2)
                    || ' (late vs early half of the last ' || {{ past_days }} || ' days)'
                when 'value_sum'
                    then {{ term }}.event_name || ' value ' || round({{ features }}.value_sum, 2)
                    || ' in the last ' || {{ past_days }} || ' days'
                when 'lifetime_count'
                    then {{ features }}.lifetime_count || ' ' || {{ term }}.event_name || ' ever'
                when 'lifetime_days_since_last'
                    then 'last ' || {{ term }}.event_name || ' ever '
                    || round({{ features }}.lifetime_days_since_last, 1) || ' days ago'
            end
    end
{%- endmacro %}
