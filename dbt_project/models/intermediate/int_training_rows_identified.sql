-- One row per roster line and survey answer in use, with the HR person it is about, if any, and the rule:
--   citizen_id        the row gives an ID known from the HR workbooks;
--   name_dob_commune  one person of that folded name and birth date ever held a post in that commune;
--   name_dob          one person of that folded name and birth date in the whole province (transfers);
--   unmatched         none or several: kept and counted, never guessed.
with

hr as (
    select
        dated.hr_row_id,
        dated.citizen_id,
        dated.name_key,
        dated.birth_date,
        dated.commune_code,
        identified.person_key
    from {{ ref('int_hr_rows_dated') }} as dated
    inner join {{ ref('int_hr_rows_identified') }} as identified on dated.hr_row_id = identified.hr_row_id
),

known_ids as (
    select distinct
        citizen_id,
        person_key
    from hr
    where citizen_id is not null
),

people_in_communes as (
    select distinct
        person_key,
        name_key,
        birth_date,
        commune_code
    from hr
),

training_rows as (
    select
        'roster' as source_kind,
        roster_row_id as training_row_id,
        citizen_id,
        name_key,
        birth_date,
        commune_code
    from {{ ref('stg_raw__roster_rows') }}
    union all
    select
        'survey' as source_kind,
        survey_response_id as training_row_id,
        null as citizen_id,
        name_key,
        birth_date,
        commune_code
    from {{ ref('stg_raw__survey_responses') }}
),

by_id as (
    select
        training_rows.training_row_id,
        min(known_ids.person_key) as person_key
    from training_rows
    inner join known_ids on training_rows.citizen_id = known_ids.citizen_id
    group by training_rows.training_row_id
    having count(distinct known_ids.person_key) = 1
),

by_commune as (
    select
        training_rows.training_row_id,
        min(people.person_key) as person_key
    from training_rows
    inner join people_in_communes as people
        on
            training_rows.name_key = people.name_key
            and training_rows.birth_date = people.birth_date
            and training_rows.commune_code = people.commune_code
    group by training_rows.training_row_id
    having count(distinct people.person_key) = 1
),

by_name_dob as (
    select
        training_rows.training_row_id,
        min(people.person_key) as person_key
    from training_rows
    inner join people_in_communes as people
        on
            training_rows.name_key = people.name_key
            and training_rows.birth_date = people.birth_date
    group by training_rows.training_row_id
    having count(distinct people.person_key) = 1
),

identified as (
    select
        training_rows.source_kind,
        training_rows.training_row_id,
        coalesce(by_id.person_key, by_commune.person_key, by_name_dob.person_key) as person_key,
        case
            when by_id.person_key is not null then 'citizen_id'
            when by_commune.person_key is not null then 'name_dob_commune'
            when by_name_dob.person_key is not null then 'name_dob'
            else 'unmatched'
        end as match_rule
    from training_rows
    left join by_id on training_rows.training_row_id = by_id.training_row_id
    left join by_commune on training_rows.training_row_id = by_commune.training_row_id
    left join by_name_dob on training_rows.training_row_id = by_name_dob.training_row_id
)

select * from identified
