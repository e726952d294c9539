-- One row per commune cadre title: the minimum professional and political-theory levels of Decree
-- 33/2023 (title_standards seed), as ordinals. Titles whose minimum the seed leaves unverified get none.
with

standards as (
    select * from {{ ref('title_standards') }}
    where regime = 'ND33_2023' and title_group = 'can_bo'
),

per_title as (
    select
        unnest(string_to_array(titles, ';')) as title_code,
        split_part(chuyen_mon_min, ' ', 1) as prof_min,
        case when llct_min in ('SC', 'TC', 'CC') then llct_min end as llct_min
    from standards
),

ordinals as (
    select
        per_title.title_code,
        per_title.prof_min,
        prof.ordinal::int as prof_min_ordinal,
        per_title.llct_min,
        llct.ordinal::int as llct_min_ordinal
    from per_title
    left join {{ ref('level_professional') }} as prof on per_title.prof_min = prof.code
    left join {{ ref('level_political_theory') }} as llct on per_title.llct_min = llct.code
)

select * from ordinals
