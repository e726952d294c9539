{#- A pseudonymous key: keyed SHA-256 of a person key. The key comes from the environment
    (CADRE_PSEUDONYM_KEY, which `cadre dbt` supplies), never from the repository. -#}
{% macro pseudonym(expression) -%}
    encode(sha256(convert_to('{{ env_var("CADRE_PSEUDONYM_KEY") }}' || ':' || {{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}
