with

source as (
    {{ raw_in_use('hr_rows') }}
),

renamed as (
    select
        batch_id || ':' || source_sheet || ':' || source_row as hr_row_id,
        batch_id,
        source_sheet,
        source_row,
        full_name,
        name_key,
        dob as birth_date,
        case
            when 'dob:year_only' = any(flags) then 'year'
            when 'dob:month_only' = any(flags) then 'month'
            else 'day'
        end as birth_date_precision,
        sex,
        ethnicity,
        citizen_id,
        citizen_pseudonym,
        citizen_id_flag,
        commune_code,
        title_code,
        array_to_string(title_concurrent, ';') as title_concurrent_codes,
        prof_level,
        prof_field,
        llct as political_theory_level,
        qlnn as state_management_level,
        it as it_level,
        lang as language_level,
        party_date,
        appointment_date,
        array_to_string(flags, ';') as value_flags,
        extras::jsonb as extras
    from source
)

select * from renamed
