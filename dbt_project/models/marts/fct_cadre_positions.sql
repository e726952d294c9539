-- One row per person per reporting date (each person counted once): the primary post, the posts held
-- concurrently, how the row was chosen when several files listed them, and the levels, pseudonymous (no citizen ID, no
-- birth date: birth year and age band only).
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows() }}") }}
with

positions as (
    select * from {{ ref('int_positions_as_of') }}
)

select
    {{ pseudonym('person_key') }} as person_id,
    reporting_date,
    listed_on,
    district_code,
    commune_code,
    title_code,
    is_cadre,
    extract(year from birth_date)::int as birth_year,
    case
        when date_part('year', age(reporting_date, birth_date)) < 30 then 'under 30'
        when date_part('year', age(reporting_date, birth_date)) < 40 then '30-39'
        when date_part('year', age(reporting_date, birth_date)) < 50 then '40-49'
        else '50 and over'
    end as age_band,
    sex,
    ethnicity,
    prof_level,
    political_theory_level,
    state_management_level,
    it_level,
    language_level,
    concurrent_title_codes,
    source_rule
from positions
