-- One row per district before July 2025 with its province: the home province's districts of 2020 from its
-- own seed (more precise, with the names of January 2025), every other province's from the national seeds
-- (tools/national_units.py).
with

home as (
    select
        district_code,
        district_name,
        '{{ var("province")["code"] }}' as province_code,
        '{{ var("province")["name_vi"] }}' as province_name
    from {{ ref('qn_districts_2020') }}
),

elsewhere as (
    select
        districts.district_code,
        districts.district_name,
        districts.province_code,
        provinces.province_name
    from {{ ref('vn_districts_pre2025_07') }} as districts
    inner join {{ ref('vn_provinces_pre2025_07') }} as provinces on districts.province_code = provinces.province_code
    where districts.province_code <> '{{ var("province")["code"] }}'
)

select * from home
union all
select * from elsewhere
