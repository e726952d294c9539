-- One row per HR workbook row in use, with the reporting date and district of its batch and the
-- group of its title (cán bộ or công chức), and the time of its file (as saved, else as loaded).
with

hr_rows as (
    select * from {{ ref('stg_raw__hr_rows') }}
),

batches as (
    select * from {{ ref('stg_raw__ingest_batches') }}
),

titles as (
    select
        title_code,
        "group" as title_group
    from {{ ref('cadre_titles') }}
),

dated as (
    select
        hr_rows.*,
        batches.reporting_date,
        batches.district_code,
        batches.file_name,
        coalesce(batches.source_modified_at, batches.loaded_at) as file_time,
        titles.title_group,
        titles.title_group = 'can_bo' as is_cadre
    from hr_rows
    inner join batches on hr_rows.batch_id = batches.batch_id
    inner join titles on hr_rows.title_code = titles.title_code
)

select * from dated
