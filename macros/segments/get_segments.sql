{#- The segments declared in the `segments` var, validated, with defaults filled in.

    Raises a compilation error naming the segment and the field for: a missing or unknown key, a name that
    is not a lowercase identifier or is used twice, an unknown direction or population, a population that
    does not fit the eligible_event, a window that is not a whole number of days > 0 (past_days may also
    be `all`), a precision outside [0.5, 0.99], a negative min_value, or an event name that is not a
    non-empty string. Event names are returned trimmed (staging trims them too) and are never rendered
    into SQL except through `sql_string`. past_days `all` is returned as none.

    population (who is scored) defaults to did_eligible_event with an eligible_event, did_target_event
    for will_not_do, and all_users for will_do. precision may instead name a level of the
    `precision_levels` var (high, low): it is returned as that number, with precision_level set. -#}
{% macro get_segments() %}
    {%- set segments = var('segments', none) -%}
    {%- set required = ['name', 'target_event', 'direction', 'past_days', 'future_days', 'precision'] -%}
    {%- set optional = ['eligible_event', 'population', 'min_value', 'feature_events', 'description'] -%}
    {%- set directions = ['will_do', 'will_not_do'] -%}
    {%- set populations = ['all_users', 'did_target_event', 'did_eligible_event'] -%}
    {%- set identifier = modules.re.compile('^[a-z][a-z0-9_]{0,62}$') -%}
    {%- if segments is none or segments is string or segments is mapping or segments is not iterable
          or segments | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var 'segments' must be a non-empty list of segments, each a mapping with the fields "
            ~ required | join(', ') ~ " (optional: " ~ optional | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set validated = [] -%}
    {%- set seen = [] -%}
    {%- for segment in segments -%}
        {%- set where = 'segments[' ~ loop.index0 ~ ']' -%}
        {%- if segment is not mapping -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ where ~ ": each segment must be a mapping of fields, got "
                ~ segment | string) }}
        {%- endif -%}
        {%- set label = "'" ~ segment.get('name', '?') ~ "' (" ~ where ~ ")" -%}
        {%- for key in segment.keys() | list | sort -%}
            {%- if key not in required and key not in optional -%}
                {{ exceptions.raise_compiler_error(
                    "Invalid segment " ~ label ~ ": unknown field '" ~ key ~ "'. Known fields: "
                    ~ (required + optional) | join(', ')) }}
            {%- endif -%}
        {%- endfor -%}
        {%- for key in required -%}
            {%- if segment.get(key) is none -%}
                {{ exceptions.raise_compiler_error(
                    "Invalid segment " ~ label ~ ": field '" ~ key ~ "' is required") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set name = segment['name'] -%}
        {%- if name is not string or not identifier.match(name) -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'name' must be a lowercase identifier (a letter, then "
                ~ "letters, digits or underscores, at most 63 characters), got '" ~ name ~ "'") }}
        {%- endif -%}
        {%- if name in seen -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'name' duplicates an earlier segment's name") }}
        {%- endif -%}
        {%- do seen.append(name) -%}
        {%- if segment['direction'] not in directions -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'direction' must be one of " ~ directions | join(', ')
                ~ ", got '" ~ segment['direction'] ~ "'") }}
        {%- endif -%}
        {%- set past_days = segment['past_days'] -%}
        {%- if past_days is string and past_days | trim | lower == 'all' -%}
            {%- set past_days = none -%}
        {%- elif past_days is not integer or past_days is sameas true or past_days is sameas false
              or past_days <= 0 -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'past_days' must be a whole number of days > 0 or 'all', got "
                ~ past_days | string) }}
        {%- endif -%}
        {%- for key in ['future_days'] -%}
            {%- if segment[key] is not integer or segment[key] is sameas true or segment[key] is sameas false
                  or segment[key] <= 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Invalid segment " ~ label ~ ": field '" ~ key ~ "' must be a whole number of days > 0, got "
                    ~ segment[key] | string) }}
            {%- endif -%}
        {%- endfor -%}
        {%- set precision = segment['precision'] -%}
        {%- set levels = var('precision_levels', {}) -%}
        {%- set precision_level = none -%}
        {%- if precision is string and precision | trim | lower in levels -%}
            {%- set precision_level = precision | trim | lower -%}
            {%- set precision = levels[precision_level] -%}
        {%- endif -%}
        {%- if precision is not number or precision is sameas true or precision is sameas false
              or precision < 0.5 or precision > 0.99 -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'precision' must be a number in [0.5, 0.99] or a named level ("
                ~ levels.keys() | list | join(', ') ~ "; var precision_levels), got " ~ segment['precision'] | string) }}
        {%- endif -%}
        {%- set min_value = segment.get('min_value') -%}
        {%- if min_value is not none and (min_value is not number or min_value is sameas true
              or min_value is sameas false or min_value < 0) -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'min_value' must be a number >= 0, got "
                ~ min_value | string) }}
        {%- endif -%}
        {%- for key in ['target_event', 'eligible_event'] -%}
            {%- set value = segment.get(key) -%}
            {%- if value is not none and (value is not string or value | trim | length == 0) -%}
                {{ exceptions.raise_compiler_error(
                    "Invalid segment " ~ label ~ ": field '" ~ key ~ "' must be a non-empty event name, got "
                    ~ value | string ~ unquoted_event_hint(value)) }}
            {%- endif -%}
        {%- endfor -%}
        {%- set eligible_event = (segment['eligible_event'] | trim) if segment.get('eligible_event') is not none
            else none -%}
        {%- set population = segment.get('population') -%}
        {%- if population is none -%}
            {%- set population = 'did_eligible_event' if eligible_event is not none
                else 'did_target_event' if segment['direction'] == 'will_not_do' else 'all_users' -%}
        {%- elif population not in populations -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'population' must be one of " ~ populations | join(', ')
                ~ ", got '" ~ population | string ~ "'") }}
        {%- endif -%}
        {%- if population == 'did_eligible_event' and eligible_event is none -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'population' is did_eligible_event but the segment has no "
                ~ "'eligible_event'") }}
        {%- endif -%}
        {%- if eligible_event is not none and population != 'did_eligible_event' -%}
            {{ exceptions.raise_compiler_error(
                "Invalid segment " ~ label ~ ": field 'eligible_event' only applies to population "
                ~ "did_eligible_event, but 'population' is " ~ population) }}
        {%- endif -%}
        {%- set feature_events = segment.get('feature_events') -%}
        {%- if feature_events is not none -%}
            {%- if feature_events is string or feature_events is mapping or feature_events is not iterable
                  or feature_events | length == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "Invalid segment " ~ label ~ ": field 'feature_events' must be a non-empty list of event "
                    ~ "names, got " ~ feature_events | string) }}
            {%- endif -%}
            {%- for event in feature_events -%}
                {%- if event is not string or event | trim | length == 0 -%}
                    {{ exceptions.raise_compiler_error(
                        "Invalid segment " ~ label ~ ": field 'feature_events' must list non-empty event names, "
                        ~ "got " ~ event | string ~ unquoted_event_hint(event)) }}
                {%- endif -%}
            {%- endfor -%}
            {%- set feature_events = feature_events | map('trim') | unique | list -%}
        {%- endif -%}
        {%- do validated.append({
            'name': name,
            'target_event': segment['target_event'] | trim,
            'direction': segment['direction'],
            'past_days': past_days,
            'future_days': segment['future_days'],
            'precision': precision,
            'precision_level': precision_level,
            'eligible_event': eligible_event,
            'population': population,
            'min_value': min_value,
            'feature_events': feature_events,
            'description': segment.get('description'),
        }) -%}
    {%- endfor -%}
    {{ return(validated) }}
{% endmacro %}

{#- For an event name YAML read as a number or a boolean (event codes such as 3, or yes / no): how to write it
    as text. Empty for anything else. -#}
{% macro unquoted_event_hint(value) %}
    {%- if value is boolean -%}
        {{- return(" (YAML reads an unquoted yes, no, on, off, true or false as a boolean, not as text: write the"
            ~ " event name in quotes)") -}}
    {%- elif value is number -%}
        {{- return(" (YAML reads an unquoted " ~ value ~ " as a number, not as text: write the event name in"
            ~ " quotes, '" ~ value ~ "')") -}}
    {%- endif -%}
    {{- return('') -}}
{% endmacro %}
