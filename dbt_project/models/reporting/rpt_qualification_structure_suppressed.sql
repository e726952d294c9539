-- rpt_qualification_structure as BI tools, district offices and the printed report show it: a count of 1 or
-- 2 people holding a level (macros/small_cells.sql) and its share are null. The scope's cadres (cadres_total
-- and the 'total' indicator, a headcount of posts) stay, so does a zero.
{% set hidden %}(dimension <> 'total' and {{ is_small('headcount') }}){% endset %}
select
    reporting_date,
    scope,
    scope_code,
    scope_name,
    is_approximate,
    indicator_code,
    dimension,
    sort_order,
    indicator_label_vi,
    case when {{ hidden }} then null else headcount end as headcount,
    cadres_total,
    case when {{ hidden }} then null else share_pct end as share_pct,
    {{ hidden }} as is_suppressed
from {{ ref('rpt_qualification_structure') }}
