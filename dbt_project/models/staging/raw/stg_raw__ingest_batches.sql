-- The batches this build reads (pinned when it began): per delivery, the newest that did not fail its checks.
with

source as (
    select * from {{ source('raw', 'ingest_batches') }}
    where batch_id in {{ batches_in_use() }}
),

renamed as (
    select
        batch_id,
        kind as batch_kind,
        batch_key,
        file_name,
        sha256,
        district_code,
        -- an HR list of one commune is that commune's own (its key names it: hr:<district>:<commune>:<date>); a
        -- district's list, or after the reform the province's, covers every unit in it
        case
            when kind = 'hr' and batch_key ~ '^hr:[^:]+:[^:]+:[^:]+$'
                then nullif(split_part(batch_key, ':', 3), '{{ var("province")["code"] }}')
        end as reporting_commune_code,
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
