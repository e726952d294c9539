{% set period = var('report_period') %}
-- Exact counts, for analysts, the gate and the audit; everyone else reads rpt_training_coverage_suppressed.
-- The planner takes the staging views' pinned batches for ten (an unnest) and a join of hundreds of
-- thousands of roster rows for one row: at 4x a province it chose a nested loop over the identities that ran
-- 76 s (a hash join: under 2 s). This model's joins are hashed.
{{ config(grants={'select': exact_count_readers()}, pre_hook="set local enable_nestloop = off") }}
-- One row per course category of 2016-2020 (and a total): participations (lượt người), distinct people
-- trained, and trainings per person over the five years, as the workshop report counts them.
with

rosters as (
    select * from {{ ref('stg_raw__roster_rows') }}
),

classes as (
    -- a class its rosters alone date (no class list sent) counts too, in a row of its own (no category)
    select
        class_code,
        category_code
    from {{ ref('dim_course') }}
    where extract(year from start_date) between {{ period.first_year }} and {{ period.last_year }}
),

identities as (
    select
        training_row_id,
        person_key
    from {{ ref('int_training_rows_identified') }}
    where source_kind = 'roster'
),

categories as (
    select
        category_code,
        label_vi,
        participations_2016_2020_printed
    from {{ ref('course_categories') }}
),

participations as (
    select
        classes.category_code,
        coalesce(identities.person_key, 'unmatched:' || rosters.roster_row_id) as person
    from rosters
    inner join classes on rosters.class_code = classes.class_code
    left join identities on rosters.roster_row_id = identities.training_row_id
),

by_category as (
    select
        categories.category_code,
        categories.label_vi as category_label_vi,
        categories.participations_2016_2020_printed as printed_participations,
        count(participations.person) as participations,
        count(distinct participations.person) as people
    from categories
    left join participations on categories.category_code = participations.category_code
    group by 1, 2, 3
    union all
    -- classes dated by their rosters alone (no class list sent, so no category): a row of their own, where there
    -- are any, so that the categories add up to the total
    select
        'CHUA_PHAN_LOAI' as category_code,
        'Lớp chưa rõ loại (chỉ có danh sách học viên)' as category_label_vi,
        null::bigint as printed_participations,
        count(person) as participations,
        count(distinct person) as people
    from participations
    where category_code is null
    having count(*) > 0
),

total as (
    select
        'TOTAL' as category_code,
        'Tổng số lượt người {{ period.first_year }}-{{ period.last_year }}' as category_label_vi,
        sum(printed_participations)::bigint as printed_participations,
        (select count(*) from participations) as participations,
        (select count(distinct participations.person) from participations) as people
    from by_category
),

final as (
    select
        *,
        round(participations::numeric / nullif(people, 0), 2) as trainings_per_person_5y
    from (
        select * from by_category
        union all
        select * from total
    ) as combined
)

select * from final
