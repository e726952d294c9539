-- One row per title of commune cadres and civil servants (chức danh), with its programme target group.
with

titles as (
    select * from {{ ref('cadre_titles') }}
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
    titles.in_nd92_2009 = 'Y' as in_decree_92_2009,
    titles.in_nd33_2023 = 'Y' as in_decree_33_2023,
    groups.target_group
from titles
left join groups on titles.title_code = groups.title_code
