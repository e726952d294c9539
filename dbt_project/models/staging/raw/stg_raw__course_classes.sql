with

source as (
    select * from {{ source('raw', 'course_classes') }}
    where batch_id in (select current.batch_id from {{ source('raw', 'current_batches') }} as current)
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
