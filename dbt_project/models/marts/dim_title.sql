-- One row per title of commune cadres, civil servants and part-time posts (chức danh), with its group and its
-- programme target group.
with

titles as (
    select * from {{ ref('cadre_titles') }}
),

title_groups as (
    select * from {{ ref('title_groups') }}
),

groups as (
    select
        target_group,
        unnest(string_to_array(title_codes, ';')) as title_code
    from {{ ref('target_groups') }}
)

select
    titles.title_code,
    titles.title_vi,
    titles."group" as title_group,
    title_groups.title_group_vi,
    title_groups.rank as title_group_rank,
    titles.in_nd92_2009 = 'Y' as in_decree_92_2009,
    titles.in_nd33_2023 = 'Y' as in_decree_33_2023,
    groups.target_group
from titles
inner join title_groups on titles."group" = title_groups.title_group
left join groups on titles.title_code = groups.title_code
