-- One row per reporting date and district of 2020: its cadres and the shares of the three headline
-- indicators, read from rpt_qualification_structure (the one place they are counted) as it may be shown:
-- a district with 1 or 2 cadres holding a level shows no share (macros/small_cells.sql). A date counts each
-- district as of its latest list on or before it (int_positions_as_of): the date of that list is shown beside.
with

summary as (
    select
        reporting_date,
        scope_code as district_code,
        scope_name as district_name,
        (max(headcount) filter (where indicator_code = 'cadre_headcount'))::int as cadres,
        max(share_pct) filter (where indicator_code = 'prof_university_or_higher') as prof_university_or_higher_pct,
        max(share_pct) filter (where indicator_code = 'llct_intermediate') as llct_intermediate_pct,
        max(share_pct) filter (
            where indicator_code = 'qlnn_specialist_or_principal'
        ) as qlnn_specialist_or_principal_pct
    from {{ ref('rpt_qualification_structure_suppressed') }}
    where scope = 'district'
    group by reporting_date, scope_code, scope_name
),

lists as (
    select
        reporting_date,
        district_code,
        max(listed_on) as latest_list_on
    from {{ ref('int_positions_as_of') }}
    where is_cadre
    group by reporting_date, district_code
)

select
    summary.reporting_date,
    summary.district_code,
    summary.district_name,
    summary.cadres,
    summary.prof_university_or_higher_pct,
    summary.llct_intermediate_pct,
    summary.qlnn_specialist_or_principal_pct,
    lists.latest_list_on
from summary
left join lists
    on
        summary.reporting_date = lists.reporting_date
        and summary.district_code = lists.district_code
