-- rpt_standards_by_title as BI tools, district offices and the printed report show it: a count of 1 or 2
-- people below the standard or lacking a level is null (macros/small_cells.sql). Holders of a post stay.
select
    reporting_date,
    title_code,
    title_vi,
    holders,
    {{ shown('below_standard') }} as below_standard,
    {{ shown('lacking_professional') }} as lacking_professional,
    {{ shown('lacking_political_theory') }} as lacking_political_theory,
    {{ any_small(['below_standard', 'lacking_professional', 'lacking_political_theory']) }} as is_suppressed
from {{ ref('rpt_standards_by_title') }}
