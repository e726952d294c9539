-- Who holds a post now, as far as the lists tell: the corps as it stood on the latest reporting date
-- (int_positions_as_of), one row per person. Each district or commune counts as of its own latest list, where the
-- latest date's own lists would hold only the units that dated theirs last.
with

as_of as (
    select * from {{ ref('int_positions_as_of') }}
)

select * from as_of
where reporting_date = (select max(latest.reporting_date) from as_of as latest)
