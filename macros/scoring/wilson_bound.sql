{#- The Wilson score bound of a proportion successes / trials: the lower bound with `z` > 0 (one-sided at
    z: 1.0 is 84 %, 1.6449 is 95 %), the upper bound with -z. Fractional successes (an expected count, the
    sum of probabilities) are fine. Matches predseg.modeling.thresholds.wilson_lower_bound. -#}
{% macro wilson_bound(successes, trials, z) -%}
    (({{ successes }}) / ({{ trials }}) + ({{ z }}) * ({{ z }}) / (2.0 * ({{ trials }}))
    - ({{ z }}) * sqrt(
        greatest(({{ successes }}) / ({{ trials }}) * (1 - ({{ successes }}) / ({{ trials }})), 0) / ({{ trials }})
        + ({{ z }}) * ({{ z }}) / (4.0 * ({{ trials }}) * ({{ trials }}))
    )) / (1 + ({{ z }}) * ({{ z }}) / ({{ trials }}))
{%- endmacro %}
