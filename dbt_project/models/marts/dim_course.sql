-- One row per class the training school ran (lớp bồi dưỡng): category, organiser level, dates, target group.
-- A class a roster names that no class list has sent yet is a row too, its facts unknown (null), so that
-- every participation has its class: the roster is often sent before, or without, the class list.
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
    select distinct rosters.class_code
    from {{ ref('stg_raw__roster_rows') }} as rosters
    where not exists (
        select from listed
        where listed.class_code = rosters.class_code
    )
)

select * from listed
union all
select
    class_code,
    null::text as class_name,
    null::text as category_code,
    null::text as category_label_vi,
    null::text as organiser_level,
    null::date as start_date,
    null::date as end_date,
    null::integer as days,
    null::text as target_group,
    null::integer as topics
from rostered_only
