-- One row per class the training school ran (lớp bồi dưỡng): category, organiser level, dates, target group.
select
    classes.class_code,
    classes.class_name,
    classes.category_code,
    categories.label_vi as category_label_vi,
    classes.organiser_level,
    classes.start_date,
    classes.end_date,
    classes.end_date - classes.start_date + 1 as days,
    classes.target_group,
    coalesce(array_length(classes.topic_codes, 1), 0) as topics
from {{ ref('stg_raw__course_classes') }} as classes
left join {{ ref('course_categories') }} as categories on classes.category_code = categories.category_code
