with

source as (
    {{ raw_in_use('roster_rows') }}
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
        score::double precision as score,
        grade,
        topics_attended,
        class_name,
        class_start,
        class_end
    from source
)

select * from renamed
