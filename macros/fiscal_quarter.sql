{# The fiscal quarter of a date as 'YYYY-Qn' (the fiscal year is the calendar year). #}
{% macro fiscal_quarter(col) %}
  strftime({{ col }}, '%Y') || '-Q' || cast(quarter({{ col }}) as varchar)
{% endmacro %}

{% macro snowflake__fiscal_quarter(col) %}
  to_char({{ col }}, 'YYYY') || '-Q' || to_char(quarter({{ col }}))
{% endmacro %}

{% macro bigquery__fiscal_quarter(col) %}
  format_date('%Y-Q%Q', {{ col }})
{% endmacro %}

{% macro postgres__fiscal_quarter(col) %}
  to_char({{ col }}, 'YYYY-"Q"Q')
{% endmacro %}

{# The fiscal year (an integer) of a 'YYYY-Qn' quarter label. #}
{% macro fiscal_year_of(quarter_label) %}
  cast(substr({{ quarter_label }}, 1, 4) as integer)
{% endmacro %}
