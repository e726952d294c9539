-- rpt_programme_needs_by_topic as BI tools, district offices and the printed report show it: 1 or 2 cadres
-- who have not completed a topic are null (macros/small_cells.sql). The cadres of the target group stay.
select
    target_group,
    target_group_vi,
    topic_code,
    topic_title_vi,
    reporting_date,
    cadres,
    {{ shown('not_completed') }} as not_completed,
    {{ any_small(['not_completed']) }} as is_suppressed
from {{ ref('rpt_programme_needs_by_topic') }}
