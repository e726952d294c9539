-- One row per roster line (a person in a class): who (pseudonymous, or unmatched), whether they completed
-- it, the score, and the programme topics attended.
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows(via_person='person_id') }}") }}
-- depends_on: {{ ref('dim_person') }}
select
    rosters.roster_row_id as participation_id,
    rosters.class_code,
    case when identities.person_key is not null then {{ pseudonym('identities.person_key') }} end as person_id,
    identities.match_rule,
    rosters.is_completed,
    rosters.score,
    rosters.grade,
    rosters.topics_attended
from {{ ref('stg_raw__roster_rows') }} as rosters
inner join {{ ref('int_training_rows_identified') }} as identities
    on rosters.roster_row_id = identities.training_row_id
