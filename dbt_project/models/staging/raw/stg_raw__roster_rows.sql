with

source as (
    select * from {{ source('raw', 'roster_rows') }}
    where batch_id in (select current.batch_id from {{ source('raw', 'current_batches') }} as current)
),

renamed as (
    select
        batch_id || ':' || source_sheet || ':' || source_row as roster_row_id,
        batch_id,
        source_sheet,
        source_row,
        class_code,
        full_name,
        name_key,
        dob as birth_date,
        citizen_id,
        title_code,
        title_raw,
        unit_raw,
        district_raw,
        commune_code,
        completed as is_completed,
        score,
        grade,
        topics_attended
    from source
)

select * from renamed
