select
    title_code,
    title_vi,
    "group" as title_group,
    in_nd92_2009 = 'Y' as in_decree_92_2009,
    in_nd33_2023 = 'Y' as in_decree_33_2023,
    groups.target_group
from {{ ref('cadre_titles') }}
left join (
    select target_group, unnest(string_to_array(title_codes, ';')) as title_code from {{ ref('target_groups') }}
) as groups using (title_code)
