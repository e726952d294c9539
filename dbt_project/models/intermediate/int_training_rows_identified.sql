-- One row per roster line and survey answer in use, with the HR person it is about, if any, and the rule.
-- Rules are tried strongest first; each decides only when exactly one person fits (never a guess between
-- two), and each is measured on its own (tests/warehouse/test_identity_noise.py):
--   citizen_id              the row gives an ID known from the HR workbooks;
--   name_dob_commune        one person of that folded name and birth date ever held a post in that commune;
--   name_dob                one person of that folded name and birth date in the whole province (transfers);
--   name_typo_dob_commune   the name one typing slip away (a letter missed, added, changed or two swapped:
--                           the names share a one-letter deletion), same birth date and commune;
--   middle_dropped_dob_commune  the same family and given names, a middle name left out (or added), same
--                           birth date and commune;
--   dob_swapped_commune     the same name, day and month of the birth date swapped, same commune (weaker:
--                           tried last);
--   name_commune_no_dob     a line without a birth date: one person of that name held a post in that commune;
--   unmatched               none or several: kept and counted, never guessed.
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

-- where each person held a post: the commune as listed and, for a commune before July 2025, the new one it became
-- part of, so that a line written after the reform ("Xã Đầm Hà", the new commune) finds the people of the old ones
held_in as (
    select
        person_key,
        name_key,
        birth_date,
        commune_code
    from hr
    union all
    select
        hr.person_key,
        hr.name_key,
        hr.birth_date,
        crosswalk.new_commune_code as commune_code
    from hr
    inner join {{ ref('qn_crosswalk_2025_old_to_new') }} as crosswalk on hr.commune_code = crosswalk.old_commune_code
),

people_in_communes as (
    select distinct
        person_key,
        name_key,
        birth_date,
        commune_code,
        string_to_array(name_key, ' ') as name_words
    from held_in
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

-- positions of the letter a typing slip may have added or dropped (0: none)
letter_positions as (
    select generate_series(0, 100) as i
),

-- the strong rules one after the other, each on the rows no stronger rule decided (a rule decides a row only
-- when it picks exactly one person): a national roster is joined once by its IDs, what they leave by name, birth
-- date and commune, and the few rows left by name and birth date
by_id as (
    select
        training_rows.training_row_id,
        min(known_ids.person_key) as person_key
    from training_rows
    inner join known_ids on training_rows.citizen_id = known_ids.citizen_id
    group by training_rows.training_row_id
    having count(distinct known_ids.person_key) = 1
),

after_id as (
    select training_rows.*
    from training_rows
    where not exists (
        select from by_id
        where by_id.training_row_id = training_rows.training_row_id
    )
),

by_name_dob_commune as (
    select
        after_id.training_row_id,
        min(people.person_key) as person_key
    from after_id
    inner join people_in_communes as people
        on
            after_id.name_key = people.name_key
            and after_id.birth_date = people.birth_date
            and after_id.commune_code = people.commune_code
    group by after_id.training_row_id
    having count(distinct people.person_key) = 1
),

after_commune as (
    select after_id.*
    from after_id
    where not exists (
        select from by_name_dob_commune
        where by_name_dob_commune.training_row_id = after_id.training_row_id
    )
),

by_name_dob as (
    select
        after_commune.training_row_id,
        min(people.person_key) as person_key
    from after_commune
    inner join people_in_communes as people
        on
            after_commune.name_key = people.name_key
            and after_commune.birth_date = people.birth_date
    group by after_commune.training_row_id
    having count(distinct people.person_key) = 1
),

strong_decided as (
    select
        1 as strength,
        'citizen_id' as match_rule,
        training_row_id,
        person_key
    from by_id
    union all
    select
        2 as strength,
        'name_dob_commune' as match_rule,
        training_row_id,
        person_key
    from by_name_dob_commune
    union all
    select
        3 as strength,
        'name_dob' as match_rule,
        training_row_id,
        person_key
    from by_name_dob
),

-- rows a stronger rule (an ID, the exact name and birth date) decided need no weaker one: the fuzzy rules
-- below only look at the rest, so a national roster is not every name's every letter deletion
open_rows as (
    select after_commune.*
    from after_commune
    where not exists (
        select from by_name_dob
        where by_name_dob.training_row_id = after_commune.training_row_id
    )
),

-- one-letter deletions of every open row's name and of the people it could be (same birth date and
-- commune; position 0: the name itself): two names one slip apart share one of them
training_deletions as (
    select
        open_rows.training_row_id,
        open_rows.birth_date,
        open_rows.commune_code,
        {{ name_variant('open_rows.name_key', 'letter_positions.i') }} as variant
    from open_rows
    inner join letter_positions on letter_positions.i <= length(open_rows.name_key)
    where open_rows.birth_date is not null
),

people_deletions as (
    select
        people.person_key,
        people.birth_date,
        people.commune_code,
        {{ name_variant('people.name_key', 'letter_positions.i') }} as variant
    from people_in_communes as people
    inner join letter_positions on letter_positions.i <= length(people.name_key)
    where exists (
        select from open_rows
        where open_rows.birth_date = people.birth_date and open_rows.commune_code = people.commune_code
    )
),

-- the weaker rules, on the open rows only (aliased as training_rows: each rule reads as the ones above)
candidates as (
    select
        4 as strength,
        'name_typo_dob_commune' as match_rule,
        training_deletions.training_row_id,
        people_deletions.person_key
    from training_deletions
    inner join people_deletions
        on
            training_deletions.variant = people_deletions.variant
            and training_deletions.birth_date = people_deletions.birth_date
            and training_deletions.commune_code = people_deletions.commune_code
    where training_deletions.variant like '% %'  -- never a name reduced to one word
    union all
    select
        5 as strength,
        'middle_dropped_dob_commune' as match_rule,
        training_rows.training_row_id,
        people.person_key
    from open_rows as training_rows
    inner join people_in_communes as people
        on
            training_rows.birth_date = people.birth_date
            and training_rows.commune_code = people.commune_code
            and split_part(training_rows.name_key, ' ', 1) = people.name_words[1]
            and reverse(split_part(reverse(training_rows.name_key), ' ', 1))
            = people.name_words[cardinality(people.name_words)]
            and cardinality(string_to_array(training_rows.name_key, ' ')) <> cardinality(people.name_words)
            and cardinality(string_to_array(training_rows.name_key, ' ')) >= 2
            and cardinality(people.name_words) >= 2
    union all
    select
        6 as strength,
        'dob_swapped_commune' as match_rule,
        training_rows.training_row_id,
        people.person_key
    from open_rows as training_rows
    inner join people_in_communes as people
        on
            training_rows.name_key = people.name_key
            and training_rows.commune_code = people.commune_code
            and extract(day from training_rows.birth_date) <= 12
            and extract(day from training_rows.birth_date) <> extract(month from training_rows.birth_date)
            and people.birth_date = make_date(
                extract(year from training_rows.birth_date)::int,
                extract(day from training_rows.birth_date)::int,
                extract(month from training_rows.birth_date)::int
            )
    union all
    -- a roster that gives no birth date (the school's list of a class often does not): one person of that
    -- name ever held a post in that commune
    select
        7 as strength,
        'name_commune_no_dob' as match_rule,
        training_rows.training_row_id,
        people.person_key
    from open_rows as training_rows
    inner join people_in_communes as people
        on
            training_rows.birth_date is null
            and training_rows.name_key = people.name_key
            and training_rows.commune_code = people.commune_code
),

decided as (
    select * from strong_decided
    union all
    select
        strength,
        match_rule,
        training_row_id,
        min(person_key) as person_key
    from candidates
    group by strength, match_rule, training_row_id
    having count(distinct person_key) = 1
),

strongest as (
    select distinct on (training_row_id)
        training_row_id,
        person_key,
        match_rule
    from decided
    order by training_row_id asc, strength asc
),

identified as (
    select
        training_rows.source_kind,
        training_rows.training_row_id,
        strongest.person_key,
        coalesce(strongest.match_rule, 'unmatched') as match_rule
    from training_rows
    left join strongest on training_rows.training_row_id = strongest.training_row_id
)

select * from identified
