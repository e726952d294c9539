with

source as (
    {{ raw_in_use('survey_responses') }}
),

renamed as (
    select
        batch_id || ':' || source_sheet || ':' || source_row as survey_response_id,
        batch_id,
        source_row,
        submitted_at,
        full_name,
        name_key,
        dob as birth_date,
        sex,
        unit_raw,
        district_raw,
        commune_code,
        title_code,
        trainings_2016_2020,
        trainings_2016_2020_raw,  -- "1-2 lớp", "Trên 5 lớp": an answer that gives no one number, as written
        improvement as improvement_code,
        necessity as necessity_code
    from source
)

select * from renamed
