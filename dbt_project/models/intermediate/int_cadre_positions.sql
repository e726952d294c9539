-- One row per person per reporting date: the post they held and their levels (the first row of the
-- person in the file wins where a file lists someone twice; ingest already refuses true conflicts).
with

dated as (
    select * from {{ ref('int_hr_rows_dated') }}
),

identified as (
    select * from {{ ref('int_hr_rows_identified') }}
),

ranked as (
    select
        identified.person_key,
        dated.*,
        row_number() over (
            partition by identified.person_key, dated.reporting_date order by dated.batch_id, dated.source_row
        ) as rank_in_date
    from dated
    inner join identified on dated.hr_row_id = identified.hr_row_id
)

select * from ranked
where rank_in_date = 1
