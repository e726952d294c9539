-- One row per reporting date and title: how many people held the post, as their primary post or
-- concurrently (kiêm nhiệm). A person holding two posts counts under each; the headcount of people is
-- rpt_qualification_structure's.
with

posts as (
    select * from {{ ref('int_cadre_posts') }}
),

titles as (
    select
        title_code,
        title_vi,
        title_group,
        title_group_vi,
        title_group_rank
    from {{ ref('dim_title') }}
)

select
    posts.reporting_date,
    posts.title_code,
    titles.title_vi,
    titles.title_group,
    titles.title_group_vi,
    titles.title_group_rank,
    count(*)::int as holders,
    (count(*) filter (where posts.is_primary))::int as primary_holders,
    (count(*) filter (where not posts.is_primary))::int as concurrent_holders
from posts
inner join titles on posts.title_code = titles.title_code
group by 1, 2, 3, 4, 5, 6
