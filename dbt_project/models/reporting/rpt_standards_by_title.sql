-- Exact counts, for analysts, the gate and the audit; everyone else reads rpt_standards_by_title_suppressed.
{{ config(grants={'select': exact_count_readers()}) }}
-- One row per reporting date and cadre title with a minimum in Decree 33/2023, and a total: posts held,
-- and how many of their holders are below the title's standard and lack what. A person holding two posts
-- counts under each title; the total row (TOTAL) counts people, each once.
with

gaps as (
    select * from {{ ref('rpt_standards_gap') }}
),

titles as (
    select
        title_code,
        title_vi
    from {{ ref('cadre_titles') }}
),

by_title as (
    select
        gaps.reporting_date,
        gaps.title_code,
        titles.title_vi,
        count(*)::int as holders,
        (count(*) filter (where gaps.below_standard))::int as below_standard,
        (count(*) filter (where gaps.lacks_professional))::int as lacking_professional,
        (count(*) filter (where gaps.lacks_political_theory))::int as lacking_political_theory
    from gaps
    inner join titles on gaps.title_code = titles.title_code
    group by 1, 2, 3
),

people as (
    select
        reporting_date,
        person_id,
        bool_or(below_standard) as below_standard,
        bool_or(coalesce(lacks_professional, false)) as lacks_professional,
        bool_or(coalesce(lacks_political_theory, false)) as lacks_political_theory
    from gaps
    group by 1, 2
),

total as (
    select
        reporting_date,
        'TOTAL' as title_code,
        'Tổng số người (mỗi người tính một lần)' as title_vi,
        count(*)::int as holders,
        (count(*) filter (where below_standard))::int as below_standard,
        (count(*) filter (where lacks_professional))::int as lacking_professional,
        (count(*) filter (where lacks_political_theory))::int as lacking_political_theory
    from people
    group by 1
)

select * from by_title
union all
select * from total
