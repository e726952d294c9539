-- Every file ingested up to the newest batch this build reads (loaded, superseded or rejected), for the
-- report's data-quality section: what arrived and what became of it.
with

source as (
    select * from {{ source('raw', 'ingest_batches') }}
    where batch_id <= (select coalesce(max(pinned.batch_id), 0) from {{ batches_in_use() }} as pinned (batch_id))
),

renamed as (
    select
        batch_id,
        kind as batch_kind,
        file_name,
        district_code,
        reporting_date,
        status as batch_status,
        checks as checks_outcome,
        rows_in,
        rows_loaded,
        rows_quarantined,
        rows_skipped
    from source
)

select * from renamed
