-- rpt_training_effectiveness as BI tools, district offices and the printed report show it: an answer given
-- by 1 or 2 respondents shows neither its count nor its share (macros/small_cells.sql). Respondents stay.
select
    survey_batch_id,
    survey_file,
    question,
    question_label_vi,
    answer_code,
    answer_label_vi,
    {{ shown('answers') }} as answers,
    respondents,
    {{ shown('share_pct', guarded_by=['answers']) }} as share_pct,
    {{ any_small(['answers']) }} as is_suppressed
from {{ ref('rpt_training_effectiveness') }}
