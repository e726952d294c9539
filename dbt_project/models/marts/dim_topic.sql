select
    topic_code,
    target_group,
    topic_no,
    title_vi,
    title_en,
    target_group = 'ALL' as is_common
from {{ ref('programme_topics') }}
