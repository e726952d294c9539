-- The corps as it stood on each reporting date (a date any HR list in use was dated): one row per person holding a
-- post on that day as far as the lists tell. Each district, or commune with a list of its own, counts as of its own
-- latest list on or before the day: a person is as the last list that named them says (listed_on) until a later
-- list covering their commune came without them (int_person_history). Lists dated days apart (each district signs
-- its own) thus all count on each date, where the rows of that very day would hold only the districts that dated
-- theirs so; where every district lists on the same day, this is that day's lists. The facts and the reports count
-- these rows.
with

positions as (
    select
        *,
        lead(reporting_date) over (partition by person_key order by reporting_date) as next_listed
    from {{ ref('int_cadre_positions') }}
),

dates as (
    select
        reporting_date as as_of,
        row_number() over (order by reporting_date) as n
    from (
        select reporting_date from positions
        union
        select reporting_date from {{ ref('stg_raw__ingest_batches') }}
        where batch_kind = 'hr'
    ) as listed
),

versions as (
    select
        person_key,
        valid_from,
        valid_to
    from {{ ref('int_person_history') }}
),

held as (
    -- each listed position holds until the person is listed again or a list covering them came without them
    select
        positions.*,
        least(positions.next_listed, versions.valid_to) as held_until
    from positions
    inner join versions
        on
            positions.person_key = versions.person_key
            and positions.reporting_date >= versions.valid_from
            and (versions.valid_to is null or positions.reporting_date < versions.valid_to)
),

spans as (
    -- the dates (by their number) each position holds on: a join of equal numbers, not of ranges
    select
        held.*,
        starts.n as first_n,
        coalesce(ends.n - 1, (select max(dates.n) from dates)) as last_n
    from held
    inner join dates as starts on held.reporting_date = starts.as_of
    left join dates as ends on held.held_until = ends.as_of
)

select
    dates.as_of as reporting_date,
    spans.reporting_date as listed_on,
    spans.person_key,
    spans.batch_id,
    spans.hr_row_id,
    spans.district_code,
    spans.commune_code,
    spans.title_code,
    spans.title_group,
    spans.is_cadre,
    spans.birth_date,
    spans.sex,
    spans.ethnicity,
    spans.prof_level,
    spans.political_theory_level,
    spans.state_management_level,
    spans.it_level,
    spans.language_level,
    spans.concurrent_title_codes,
    spans.source_rule
from spans
cross join lateral generate_series(spans.first_n, spans.last_n) as held_on (n)
inner join dates on held_on.n = dates.n
