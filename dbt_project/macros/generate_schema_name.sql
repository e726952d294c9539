{#- Custom schemas are used as named (staging, reference, marts...), not prefixed with the target schema.
    CADRE_SCHEMA_SUFFIX (e.g. "__candidate") builds a whole refresh beside the published one: the
    write-audit-publish refresh audits it there and publishes it by renaming schemas in one transaction. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set base = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {{ base }}{{ env_var('CADRE_SCHEMA_SUFFIX', '') }}
{%- endmacro %}
