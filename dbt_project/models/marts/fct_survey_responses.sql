-- One row per survey answer (phiếu khảo sát): the respondent (pseudonymous), and the answers.
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows(via_person='person_id') }}") }}
-- depends_on: {{ ref('dim_person') }}
select
    surveys.survey_response_id,
    surveys.batch_id as survey_batch_id,
    case when identities.person_key is not null then {{ pseudonym('identities.person_key') }} end as person_id,
    identities.match_rule,
    surveys.trainings_2016_2020,
    surveys.improvement_code,
    surveys.necessity_code
from {{ ref('stg_raw__survey_responses') }} as surveys
inner join {{ ref('int_training_rows_identified') }} as identities
    on surveys.survey_response_id = identities.training_row_id
