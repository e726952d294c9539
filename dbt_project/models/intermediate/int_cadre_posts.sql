-- One row per person, reporting date and post held: the primary post and each post held concurrently
-- (kiêm nhiệm), with the person's levels. A person holding two posts is one person in every headcount and
-- one holder of each post in the tables by title.
with

positions as (
    select * from {{ ref('int_positions_as_of') }}
),

titles as (
    select
        title_code,
        "group" = 'can_bo' as is_cadre
    from {{ ref('cadre_titles') }}
),

posts as (
    select
        person_key,
        reporting_date,
        title_code,
        true as is_primary
    from positions
    union all
    select
        person_key,
        reporting_date,
        unnest(string_to_array(concurrent_title_codes, ';')) as title_code,
        false as is_primary
    from positions
    where concurrent_title_codes is not null
)

select
    posts.person_key,
    posts.reporting_date,
    positions.district_code,
    positions.commune_code,
    posts.title_code,
    titles.is_cadre as is_cadre_post,
    posts.is_primary,
    positions.prof_level,
    positions.political_theory_level,
    positions.state_management_level
from posts
inner join positions
    on
        posts.person_key = positions.person_key
        and posts.reporting_date = positions.reporting_date
inner join titles on posts.title_code = titles.title_code
