{# a / b, or null when b is zero or null (never a division error). #}
{% macro safe_divide(a, b) %}
  case when {{ b }} is null or {{ b }} = 0 then null else ({{ a }}) / ({{ b }}) end
{% endmacro %}

{# BigQuery has it built in. #}
{% macro bigquery__safe_divide(a, b) %}
  safe_divide({{ a }}, {{ b }})
{% endmacro %}

{# Snowflake: the idiomatic nullif form. #}
{% macro snowflake__safe_divide(a, b) %}
  ({{ a }}) / nullif({{ b }}, 0)
{% endmacro %}
