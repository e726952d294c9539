-- One row per person key (a citizen ID of the HR rows in use) and its pseudonymous id: HMAC-SHA256 under the
-- pseudonym key, computed by the ingest where the key is. The key is not in the database; the `pseudonym`
-- macro looks ids up here.
-- The key column has a name of its own (not person_key): the macro's lookup must not resolve the caller's
-- person_key to this table's column.
{{ config(post_hook="create unique index on {{ this }} (pseudonymised_key)") }}
select distinct on (citizen_id)
    citizen_id as pseudonymised_key,
    citizen_pseudonym as person_id
from {{ ref('stg_raw__hr_rows') }}
where citizen_id is not null
order by citizen_id
