{#- A person's pseudonymous id: looked up in int_person_pseudonyms, which the ingest filled with HMAC-SHA256
    of each citizen ID under the pseudonym key. The key is never in the database, compiled SQL or dbt's logs. -#}
{% macro pseudonym(expression) -%}
    (
        select pseudonyms.person_id from {{ ref('int_person_pseudonyms') }} as pseudonyms
        where pseudonyms.pseudonymised_key = {{ expression }}
    )
{%- endmacro %}


{#- The key of a person written without an ID: the folded name and the birth date, as the ingest writes it
    (ingest/people.py `key`), so that the ingest's pseudonym of it is found. -#}
{% macro name_dob_key(name_key, birth_date) -%}
    ({{ name_key }} || '|' || to_char({{ birth_date }}, 'YYYY-MM-DD'))
{%- endmacro %}
