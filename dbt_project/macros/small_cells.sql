{#- Small-cell suppression (issue 12): a count of people that is 1 or 2 (below var('suppress_below')) may point
    at a person, so what BI tools, district officers and the printed report read shows it as null. Zero stays
    (it describes nobody), and so do headcounts of posts. The exact models keep every count for analysts, the
    quality gate and the audit of the printed figures. -#}
{% macro is_small(column) -%}
({{ column }} between 1 and {{ var('suppress_below') - 1 }})
{%- endmacro %}

{#- `column` as it may be shown; `guarded_by`: the counts whose suppression hides it too (a share, a ratio). -#}
{% macro shown(column, guarded_by=none) -%}
{%- set guards = guarded_by if guarded_by is not none else [column] -%}
case when {% for g in guards %}{{ is_small(g) }}{{ ' or ' if not loop.last }}{% endfor %} then null else {{ column }} end
{%- endmacro %}

{#- true when any of `columns` is suppressed in the row -#}
{% macro any_small(columns) -%}
({% for c in columns %}{{ is_small(c) }}{{ ' or ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- The roles that read exact counts of people (never BI, never a district office: their own district's rows
    are in the person-level marts). -#}
{% macro exact_count_readers() -%}
{{ return(['cadre_analyst']) }}
{%- endmacro %}
