-- One row per person ever listed in an HR workbook (cán bộ, công chức cấp xã), pseudonymous: a keyed
-- hash for a key, birth year for a birth date, and where they stood on the last date they were reported.
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows('last_district_code') }}") }}
with

positions as (
    select * from {{ ref('int_cadre_positions') }}
),

ranked as (
    select
        *,
        row_number() over (partition by person_key order by reporting_date desc) as recency,
        count(*) over (partition by person_key) as reporting_dates,
        min(reporting_date) over (partition by person_key) as first_reported_on,
        bool_or(is_cadre) over (partition by person_key) as ever_cadre
    from positions
),

latest as (
    select * from ranked
    where recency = 1
),

final as (
    select
        {{ pseudonym('person_key') }} as person_id,
        extract(year from birth_date)::int as birth_year,
        sex,
        ethnicity,
        first_reported_on,
        reporting_date as last_reported_on,
        reporting_dates::int as reporting_dates,
        district_code as last_district_code,
        commune_code as last_commune_code,
        title_code as last_title_code,
        is_cadre as last_is_cadre,
        ever_cadre
    from latest
)

select * from final
