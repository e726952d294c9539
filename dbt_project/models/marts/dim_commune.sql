-- One row per commune of 2020 with its district and, through the July 2025 crosswalk, the new unit(s)
-- it went into (several when it was split).
select
    communes.commune_code,
    communes.commune_name,
    communes.commune_type,
    communes.district_code,
    communes.district_name,
    string_agg(crosswalk.new_commune_code, ';' order by crosswalk.new_commune_code) as new_commune_codes_2025,
    string_agg(crosswalk.new_commune_name, '; ' order by crosswalk.new_commune_code) as new_commune_names_2025,
    coalesce(bool_or(crosswalk.is_partial), false) as is_split_2025
from {{ ref('qn_communes_2020') }} as communes
left join {{ ref('qn_crosswalk_2025_old_to_new') }} as crosswalk on communes.commune_code = crosswalk.old_commune_code
group by 1, 2, 3, 4, 5
