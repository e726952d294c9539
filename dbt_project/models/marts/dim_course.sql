-- One row per class the training school ran (lớp bồi dưỡng): category, organiser level, dates, target group.
-- A class a roster names that no class list has sent yet is a row too, so that every participation has its
-- class (the roster is often sent before, or without, the class list): its name and days as its rosters give
-- them (a column, or the roster's title), the rest unknown (null).
with

listed as (
    select
        classes.class_code,
        classes.class_name,
        classes.category_code,
        categories.label_vi as category_label_vi,
        classes.organiser_level,
        classes.start_date,
        classes.end_date,
        -- a plan's month or quarter ("Tháng 5/2024") bounds the class; it says nothing of its length
        case
            when not classes.flags && array['period:month_only', 'period:quarter_only']
                then classes.end_date - classes.start_date + 1
        end as days,
        classes.target_group,
        coalesce(array_length(classes.topic_codes, 1), 0) as topics
    from {{ ref('stg_raw__course_classes') }} as classes
    left join {{ ref('course_categories') }} as categories on classes.category_code = categories.category_code
),

rostered_only as (
    select
        rosters.class_code,
        -- the name most of its rows give (ties: the first in order), the days all of them span
        mode() within group (order by rosters.class_name) as class_name,
        min(rosters.class_start) as start_date,
        max(rosters.class_end) as end_date
    from {{ ref('stg_raw__roster_rows') }} as rosters
    where
        not exists (
            select from listed
            where listed.class_code = rosters.class_code
        )
    group by rosters.class_code
)

select * from listed
union all
select
    class_code,
    class_name,
    null::text as category_code,
    null::text as category_label_vi,
    null::text as organiser_level,
    start_date,
    end_date,
    end_date - start_date + 1 as days,
    null::text as target_group,
    null::integer as topics
from rostered_only
