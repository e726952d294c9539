-- One row per commune cadre per reporting date: their title's minimum professional and political-theory
-- levels (Decree 33/2023) against their own, and which they lack (chưa đạt chuẩn). Pseudonymous.
with

positions as (
    select * from {{ ref('int_cadre_positions') }}
    where is_cadre
),

standards as (
    select * from {{ ref('int_title_standards') }}
),

prof as (
    select
        code,
        ordinal::int as ordinal
    from {{ ref('level_professional') }}
),

llct as (
    select
        code,
        ordinal::int as ordinal
    from {{ ref('level_political_theory') }}
),

compared as (
    select
        {{ pseudonym('positions.person_key') }} as person_id,
        positions.reporting_date,
        positions.district_code,
        positions.commune_code,
        positions.title_code,
        positions.prof_level,
        standards.prof_min,
        positions.political_theory_level,
        standards.llct_min,
        coalesce(prof.ordinal, 0) < standards.prof_min_ordinal as lacks_professional,
        coalesce(llct.ordinal, 0) < standards.llct_min_ordinal as lacks_political_theory
    from positions
    inner join standards on positions.title_code = standards.title_code
    left join prof on positions.prof_level = prof.code
    left join llct on positions.political_theory_level = llct.code
)

select
    *,
    coalesce(lacks_professional, false) or coalesce(lacks_political_theory, false) as below_standard
from compared
