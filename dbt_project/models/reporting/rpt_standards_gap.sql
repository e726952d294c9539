-- One row per commune cadre post per reporting date (a person holding two cadre posts is measured against
-- each): the title's minimum professional and political-theory levels (Decree 33/2023) against the
-- person's own, and which they lack (chưa đạt chuẩn). Pseudonymous.
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows() }}") }}
with

posts as (
    select * from {{ ref('int_cadre_posts') }}
    where is_cadre_post
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
        {{ pseudonym('posts.person_key') }} as person_id,
        posts.reporting_date,
        posts.district_code,
        posts.commune_code,
        posts.title_code,
        posts.is_primary,
        posts.prof_level,
        standards.prof_min,
        posts.political_theory_level,
        standards.llct_min,
        coalesce(prof.ordinal, 0) < standards.prof_min_ordinal as lacks_professional,
        coalesce(llct.ordinal, 0) < standards.llct_min_ordinal as lacks_political_theory
    from posts
    inner join standards on posts.title_code = standards.title_code
    left join prof on posts.prof_level = prof.code
    left join llct on posts.political_theory_level = llct.code
)

select
    *,
    coalesce(lacks_professional, false) or coalesce(lacks_political_theory, false) as below_standard
from compared
