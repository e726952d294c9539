-- One row per kind of file: how many arrived (up to the newest batch this publish reads), what became of
-- them, the rows loaded and quarantined, the batches whose checks warned or failed, and (for HR files) the
-- people two rows listed on one date (rpt_source_conflicts).
with

ledger as (
    select * from {{ ref('stg_raw__ledger') }}
),

kinds as (
    select *
    from (
        values
        ('hr', 'Danh sách cán bộ, công chức (huyện)', 1),
        ('classes', 'Danh sách lớp bồi dưỡng', 2),
        ('roster', 'Danh sách học viên', 3),
        ('survey', 'Phiếu khảo sát', 4)
    ) as k (batch_kind, kind_vi, sort_order)
),

by_kind as (
    select
        coalesce(batch_kind, 'unknown') as batch_kind,
        count(*)::int as files,
        (count(*) filter (where batch_status = 'loaded'))::int as files_loaded,
        (count(*) filter (where batch_status = 'superseded'))::int as files_superseded,
        (count(*) filter (where batch_status = 'rejected'))::int as files_rejected,
        coalesce(sum(rows_loaded), 0)::bigint as rows_loaded,
        coalesce(sum(rows_quarantined), 0)::bigint as rows_quarantined,
        (count(*) filter (where checks_outcome = 'warned'))::int as checks_warned,
        (count(*) filter (where checks_outcome = 'failed'))::int as checks_failed
    from ledger
    group by 1
),

conflicts as (
    select count(*)::int as source_conflicts
    from {{ ref('rpt_source_conflicts') }}
)

select
    by_kind.batch_kind,
    coalesce(kinds.kind_vi, 'Không xác định') as kind_vi,
    coalesce(kinds.sort_order, 9) as sort_order,
    by_kind.files,
    by_kind.files_loaded,
    by_kind.files_superseded,
    by_kind.files_rejected,
    by_kind.rows_loaded,
    by_kind.rows_quarantined,
    by_kind.checks_warned,
    by_kind.checks_failed,
    case when by_kind.batch_kind = 'hr' then conflicts.source_conflicts end as source_conflicts
from by_kind
cross join conflicts
left join kinds on by_kind.batch_kind = kinds.batch_kind
