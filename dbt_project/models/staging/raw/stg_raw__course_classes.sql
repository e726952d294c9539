with

source as (
    {{ raw_in_use('course_classes') }}
),

renamed as (
    select
        class_code,
        batch_id,
        class_name,
        category as category_code,
        organiser_level,
        topics as topic_codes,
        start_date,
        end_date,
        nullif(target_group, '') as target_group,
        place,
        participants as participants_declared,
        coalesce(flags, '{}') as flags  -- "period:month_only": the plan gave a month, not the days
    from source
)

select * from renamed
