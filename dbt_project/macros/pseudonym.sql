{#- A person's pseudonymous id: looked up in int_person_pseudonyms, which the ingest filled with HMAC-SHA256
    of each citizen ID under the pseudonym key. The key is never in the database, compiled SQL or dbt's logs. -#}
{% macro pseudonym(expression) -%}
    (
        select pseudonyms.person_id from {{ ref('int_person_pseudonyms') }} as pseudonyms
        where pseudonyms.pseudonymised_key = {{ expression }}
    )
{%- endmacro %}


{#- The key of a person written without an ID: the folded name and the birth date, and the commune when the
    birth date is a year or a month only, as the ingest writes it (ingest/people.py `key`), so that the
    ingest's pseudonym of it is found. -#}
{% macro person_key_without_id(name_key, birth_date, precision, commune_code) -%}
    (
        {{ name_key }} || '|' || to_char({{ birth_date }}, 'YYYY-MM-DD')
        || case when {{ precision }} = 'day' then '' else '|' || {{ commune_code }} end
    )
{%- endmacro %}
