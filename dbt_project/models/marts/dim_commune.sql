-- One row per commune of the home province's 2020 units with its district and, through the July 2025
-- crosswalk, the new unit(s) it went into (several when it was split); then every other province's communes
-- before July 2025 (the national seeds; no crosswalk yet).
with

home as (
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
    left join {{ ref('qn_crosswalk_2025_old_to_new') }} as crosswalk
        on communes.commune_code = crosswalk.old_commune_code
    group by 1, 2, 3, 4, 5
),

elsewhere as (
    select
        communes.commune_code,
        communes.commune_name,
        communes.commune_type,
        communes.district_code,
        districts.district_name,
        null::text as new_commune_codes_2025,
        null::text as new_commune_names_2025,
        false as is_split_2025
    from {{ ref('vn_communes_pre2025_07') }} as communes
    inner join {{ ref('int_districts') }} as districts on communes.district_code = districts.district_code
    where communes.province_code <> '{{ var("province")["code"] }}'
)

select * from home
union all
select * from elsewhere
