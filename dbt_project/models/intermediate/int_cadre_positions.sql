-- One row per person per reporting date: the primary post they held and their levels, from the row
-- int_position_sources chose. The posts they held concurrently: those the chosen row names beside its
-- primary post, and those of the chosen file's other rows about them.
with

sources as (
    select * from {{ ref('int_position_sources') }}
),

primary_rows as (
    select * from sources
    where source_rank = 1
),

written_concurrently as (
    select
        person_key,
        reporting_date,
        unnest(string_to_array(title_concurrent_codes, ';')) as title_code
    from primary_rows
    where title_concurrent_codes <> ''
),

other_rows_of_the_file as (
    select
        person_key,
        reporting_date,
        title_code
    from sources
    where in_chosen_file and source_rank > 1
),

concurrent as (
    select
        held.person_key,
        held.reporting_date,
        string_agg(distinct held.title_code, ';' order by held.title_code) as concurrent_title_codes
    from (
        select * from written_concurrently
        union
        select * from other_rows_of_the_file
    ) as held
    inner join primary_rows
        on
            held.person_key = primary_rows.person_key
            and held.reporting_date = primary_rows.reporting_date
    where held.title_code <> primary_rows.title_code
    group by 1, 2
)

select
    primary_rows.*,
    concurrent.concurrent_title_codes
from primary_rows
left join concurrent
    on
        primary_rows.person_key = concurrent.person_key
        and primary_rows.reporting_date = concurrent.reporting_date
