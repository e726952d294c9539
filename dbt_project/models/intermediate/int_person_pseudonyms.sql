-- One row per person key (a citizen ID of the HR rows in use, else a folded name and birth date) and its
-- pseudonymous id: HMAC-SHA256 under the pseudonym key, computed by the ingest where the key is. The key is
-- not in the database; the `pseudonym` macro looks ids up here.
-- The key column has a name of its own (not person_key): the macro's lookup must not resolve the caller's
-- person_key to this table's column.
{{ config(post_hook="create unique index on {{ this }} (pseudonymised_key)") }}
-- A row without an ID is keyed, as the ingest keys it, by its folded name and birth date (and commune).
select distinct on (pseudonymised_key)
    coalesce(
        citizen_id,
        {{ person_key_without_id('name_key', 'birth_date', 'birth_date_precision', 'commune_code') }}
    ) as pseudonymised_key,
    citizen_pseudonym as person_id
from {{ ref('stg_raw__hr_rows') }}
where citizen_id is not null or birth_date is not null
order by pseudonymised_key
