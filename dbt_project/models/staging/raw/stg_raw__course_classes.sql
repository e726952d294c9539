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
        participants as participants_declared
    from source
)

select * from renamed
