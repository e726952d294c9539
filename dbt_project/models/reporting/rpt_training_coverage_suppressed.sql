-- rpt_training_coverage as BI tools, district offices and the printed report show it: a category that 1 or 2
-- people attended (or 1 or 2 participations) shows neither, nor their ratio (macros/small_cells.sql). The
-- printed report's own figure stays.
{% set counts = ['participations', 'people'] %}
select
    category_code,
    category_label_vi,
    printed_participations,
    {{ shown('participations', guarded_by=counts) }} as participations,
    {{ shown('people', guarded_by=counts) }} as people,
    {{ shown('trainings_per_person_5y', guarded_by=counts) }} as trainings_per_person_5y,
    {{ any_small(counts) }} as is_suppressed
from {{ ref('rpt_training_coverage') }}
