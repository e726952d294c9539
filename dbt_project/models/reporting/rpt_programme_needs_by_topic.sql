-- Exact counts, for analysts, the gate and the audit; everyone else reads rpt_programme_needs_by_topic_suppressed.
{{ config(grants={'select': exact_count_readers()}) }}
-- One row per target group and topic of the 2022-2025 programme: how many cadres of the latest reporting
-- date need it and how many have not completed it yet.
select
    target_group,
    target_group_vi,
    topic_code,
    topic_title_vi,
    reporting_date,
    count(*)::int as cadres,
    (count(*) filter (where not completed))::int as not_completed
from {{ ref('rpt_programme_needs') }}
group by 1, 2, 3, 4, 5
