{#- A pseudonymous key: keyed SHA-256 of a person key. The key lives in the restricted table
    restricted.pseudonym_key (installed from the environment or $CADRE_HOME by `cadre`), never in the
    repository, and never in compiled SQL or dbt's logs. -#}
{% macro pseudonym(expression) -%}
    encode(
        sha256(convert_to((select pk.key from restricted.pseudonym_key as pk) || ':' || {{ expression }}, 'UTF8')),
        'hex'
    )
{%- endmacro %}
