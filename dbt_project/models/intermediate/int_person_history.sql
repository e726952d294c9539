-- History (SCD type 2) of each person's post and levels across reporting dates: one row per person per
-- version, valid from a reporting date until the reporting date at which it changed or ended (exclusive;
-- null while current). A person leaves only when a list covering their commune came without them (their
-- district's whole list, or the commune's own): a district whose file for a date is missing does not close out
-- its people, and one commune's list does not close out its neighbours'. After the July 2025 reform a list has no
-- district: a new commune's list closes out its own people and those of the communes it was made of.
-- Built from reporting dates rather than as a dbt snapshot: a snapshot records when dbt ran, so a late
-- file or a backfill would date history by the load, not by the reporting date.
with

positions as (
    select
        person_key,
        reporting_date,
        district_code,
        commune_code,
        title_code,
        is_cadre,
        prof_level,
        political_theory_level,
        state_management_level
    from {{ ref('int_cadre_positions') }}
),

reported as (
    select distinct
        district_code,
        reporting_commune_code,
        reporting_date
    from {{ ref('stg_raw__ingest_batches') }}
    where batch_kind = 'hr'
),

covered as (
    -- the units each list covers: a whole district (commune_code null) or one commune. A list after the July 2025
    -- reform has no district: the province's covers every unit, before the reform too (of the home province's
    -- districts), and a new commune's covers itself and the communes of before it was made of whole (of one that
    -- was split, the people may be in another new commune)
    select
        district_code,
        reporting_commune_code as commune_code,
        reporting_date
    from reported
    union all
    select
        home.district_code,
        null as commune_code,
        reported.reporting_date
    from reported
    cross join {{ ref('qn_districts_2020') }} as home
    where reported.district_code is null and reported.reporting_commune_code is null
    union all
    select
        crosswalk.old_district_code as district_code,
        crosswalk.old_commune_code as commune_code,
        reported.reporting_date
    from reported
    inner join {{ ref('qn_crosswalk_2025_old_to_new') }} as crosswalk
        on reported.reporting_commune_code = crosswalk.new_commune_code
    where reported.district_code is null and not crosswalk.is_partial
),

listed_units as (
    select distinct
        district_code,
        commune_code,
        reporting_date
    from positions
),

next_reports as (
    -- the next date after each of its lists on which a list covering a commune came: its district's whole list
    -- (after the reform, the province's) or the commune's own. A join over communes and dates, not a subquery
    -- per person: at national scale that was minutes.
    select
        listed_units.district_code,
        listed_units.commune_code,
        listed_units.reporting_date,
        min(covered.reporting_date) as next_report
    from listed_units
    left join covered
        on
            -- equalities of non-null values, which PostgreSQL can hash (a list after the reform has no district;
            -- `is not distinct from` joined every commune with every list: two minutes nationally)
            coalesce(listed_units.district_code, '') = coalesce(covered.district_code, '')
            and listed_units.reporting_date < covered.reporting_date
            and (covered.commune_code is null or listed_units.commune_code = covered.commune_code)
    group by listed_units.district_code, listed_units.commune_code, listed_units.reporting_date
),

bounded as (
    select
        positions.*,
        lead(positions.reporting_date) over (
            partition by positions.person_key order by positions.reporting_date
        ) as next_seen,
        next_reports.next_report
    from positions
    left join next_reports
        on
            coalesce(positions.district_code, '') = coalesce(next_reports.district_code, '')
            and coalesce(positions.commune_code, '') = coalesce(next_reports.commune_code, '')
            and positions.reporting_date = next_reports.reporting_date
),

ended as (
    select
        *,
        case
            when next_seen is not null and (next_report is null or next_seen <= next_report) then next_seen
            else next_report
        end as row_valid_to
    from bounded
),

signed as (
    select
        *,
        concat_ws(
            '|', title_code, commune_code,
            coalesce(prof_level, '-'), coalesce(political_theory_level, '-'), coalesce(state_management_level, '-')
        ) as signature
    from ended
),

flagged as (
    select
        *,
        case
            when
                lag(row_valid_to) over (partition by person_key order by reporting_date) = reporting_date
                and lag(signature) over (partition by person_key order by reporting_date) = signature
                then 0
            else 1
        end as starts_version
    from signed
),

numbered as (
    select
        *,
        sum(starts_version) over (partition by person_key order by reporting_date) as version_no
    from flagged
),

versions as (
    select
        person_key,
        version_no,
        min(reporting_date) as valid_from,
        (array_agg(row_valid_to order by reporting_date desc))[1] as valid_to,
        min(district_code) as district_code,
        min(commune_code) as commune_code,
        min(title_code) as title_code,
        bool_or(is_cadre) as is_cadre,
        min(prof_level) as prof_level,
        min(political_theory_level) as political_theory_level,
        min(state_management_level) as state_management_level
    from numbered
    group by person_key, version_no
)

select
    person_key || ':' || version_no as person_version_id,
    *,
    valid_to is null as is_current
from versions
