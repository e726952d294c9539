-- Who holds a post now, as far as the lists tell: one row per person, their position on the last list that named
-- them, unless a later list covering their commune came without them (int_person_history). Each unit counts as
-- of its own latest list: districts that date their lists on different days all count, where the latest date
-- of all would hold only the district that dated its list last.
with

positions as (
    select * from {{ ref('int_cadre_positions') }}
),

current_people as (
    select distinct person_key
    from {{ ref('int_person_history') }}
    where is_current
),

last_listed as (
    select
        positions.*,
        row_number() over (partition by positions.person_key order by positions.reporting_date desc) as recency
    from positions
    inner join current_people on positions.person_key = current_people.person_key
)

select * from last_listed
where recency = 1
