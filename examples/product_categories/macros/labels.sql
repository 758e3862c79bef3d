{# A display label: the trimmed value, or a placeholder when it is null or blank. #}
{% macro label_or(col, placeholder='(none)') %}
  coalesce(nullif(trim({{ col }}), ''), '{{ placeholder }}')
{% endmacro %}
