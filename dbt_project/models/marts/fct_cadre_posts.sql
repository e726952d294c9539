-- One row per person, reporting date and post held: the primary post and each concurrent one (kiêm
-- nhiệm), pseudonymous. Tables by title count posts here; headcounts count people in fct_cadre_positions.
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows() }}") }}
select
    {{ pseudonym('person_key') }} as person_id,
    reporting_date,
    district_code,
    commune_code,
    title_code,
    is_cadre_post,
    is_primary
from {{ ref('int_cadre_posts') }}
