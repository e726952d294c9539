with

source as (
    select * from {{ source('raw', 'current_batches') }}
),

renamed as (
    select
        batch_id,
        kind as batch_kind,
        batch_key,
        file_name,
        sha256,
        district_code,
        reporting_date,
        rows_in,
        rows_loaded,
        rows_quarantined,
        rows_skipped,
        checks as checks_outcome,
        source_modified as source_modified_at,
        finished_at as loaded_at
    from source
)

select * from renamed
