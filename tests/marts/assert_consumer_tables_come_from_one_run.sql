-- Every consumer table of the build database carries the same run (run_id and as_of_date): a build that
-- stopped half way leaves a mix here, which this test reports (the published copy never holds one).
-- History tables keep every night: there only the rows of the night of segment_model_report count.
{%- set consumer_tables = [
    'segment_scores', 'segment_members', 'segment_model_report', 'segment_precision_curve',
    'user_best_send_hours', 'app_best_send_hours', 'campaign_send_plan', 'campaign_send_summary',
    'best_time_backtest', 'user_behaviour_profile', 'user_personas', 'persona_profiles', 'persona_model_report',
    'persona_actionability', 'segment_calibration', 'app_hourly_activity'] %}
{%- set history_tables = {
    'segment_model_history': 'as_of_date', 'segment_membership_history': 'as_of_date',
    'segment_changes': 'as_of_date', 'segment_score_distribution': 'as_of_date',
    'segment_stability': 'as_of_date', 'segment_realised_precision': 'judged_as_of_date'} %}

with

runs as (

    {%- for table in consumer_tables %}
        {{ 'union all' if not loop.first }}
        select distinct
            {{ sql_string(table) }} as table_name,
            run_id,
            as_of_date
        from {{ ref(table) }}
    {%- endfor %}
    {%- for table, night_column in history_tables.items() %}
        union all
        select distinct
            {{ sql_string(table) }} as table_name,
            run_id,
            {{ night_column }} as as_of_date
        from {{ ref(table) }}
        where {{ night_column }} in (select report.as_of_date from {{ ref('segment_model_report') }} as report)
    {%- endfor %}

),

distinct_runs as (

    select count(distinct run_id || '|' || cast(as_of_date as {{ dbt.type_string() }})) as run_count
    from runs

)

select runs.*
from runs
cross join distinct_runs
where distinct_runs.run_count > 1
