-- One row per HR row in use, with the person it is about (person_key) and the rule that decided it:
--   citizen_id       the 12-digit citizen ID itself;
--   old_id_linked    an old 9-digit ID, linked to the one 12-digit ID with the same name and birth date;
--   old_id_alone     an old 9-digit ID with no (or no single) 12-digit counterpart: the person is that ID;
--   name_dob_linked  no ID (most district lists have no ID column), linked to the one 12-digit ID with the
--                    same name and birth date (a full date);
--   name_dob         no ID and no single such counterpart: the person is the folded name and the birth date,
--                    and the commune when the date is a year or a month only (the ingest's own key; its
--                    pseudonym is computed by the ingest like an ID's).
with

hr_rows as (
    select
        hr_row_id,
        citizen_id,
        name_key,
        birth_date,
        birth_date_precision,
        commune_code
    from {{ ref('int_hr_rows_dated') }}
),

new_ids as (
    select distinct
        citizen_id,
        name_key,
        birth_date
    from hr_rows
    where length(citizen_id) = 12
),

old_ids as (
    select distinct
        citizen_id,
        name_key,
        birth_date
    from hr_rows
    where length(citizen_id) = 9
),

no_ids as (
    select distinct
        name_key,
        birth_date
    from hr_rows
    where citizen_id is null and birth_date_precision = 'day'
),

name_linked as (
    select
        no_ids.name_key,
        no_ids.birth_date,
        min(new_ids.citizen_id) as new_id,
        count(distinct new_ids.citizen_id) as candidates
    from no_ids
    inner join new_ids
        on
            no_ids.name_key = new_ids.name_key
            and no_ids.birth_date = new_ids.birth_date
    group by no_ids.name_key, no_ids.birth_date
),

old_linked as (
    select
        old_ids.citizen_id as old_id,
        min(new_ids.citizen_id) as new_id,
        count(distinct new_ids.citizen_id) as candidates
    from old_ids
    inner join new_ids
        on
            old_ids.name_key = new_ids.name_key
            and old_ids.birth_date = new_ids.birth_date
    group by old_ids.citizen_id
),

identified as (
    select
        hr_rows.hr_row_id,
        case
            when length(hr_rows.citizen_id) = 12 then hr_rows.citizen_id
            when old_linked.candidates = 1 then old_linked.new_id
            when hr_rows.citizen_id is not null then hr_rows.citizen_id
            when name_linked.candidates = 1 then name_linked.new_id
            else {{ person_key_without_id(
                'hr_rows.name_key', 'hr_rows.birth_date', 'hr_rows.birth_date_precision', 'hr_rows.commune_code'
            ) }}
        end as person_key,
        case
            when length(hr_rows.citizen_id) = 12 then 'citizen_id'
            when old_linked.candidates = 1 then 'old_id_linked'
            when hr_rows.citizen_id is not null then 'old_id_alone'
            when name_linked.candidates = 1 then 'name_dob_linked'
            else 'name_dob'
        end as match_rule
    from hr_rows
    left join old_linked on hr_rows.citizen_id = old_linked.old_id
    left join name_linked
        on
            hr_rows.citizen_id is null
            and hr_rows.name_key = name_linked.name_key
            and hr_rows.birth_date = name_linked.birth_date
)

select * from identified
