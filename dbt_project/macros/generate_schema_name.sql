{#- Custom schemas are used as named (staging, reference, marts...), with the target's name as a suffix:
    target `candidate` (the refresh) builds `marts__candidate`, ..., which the write-audit-publish refresh
    audits and publishes by renaming schemas in one transaction; target `dev` builds `marts__dev`, ... for a
    developer. No target writes the published schemas. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if target.name not in ('candidate', 'dev') -%}
        {{ exceptions.raise_compiler_error(
            "dbt target '" ~ target.name ~ "': build 'candidate' (the refresh) or 'dev'; "
            ~ "the published schemas are written only by the publish swap") }}
    {%- endif -%}
    {%- set base = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {{ base }}__{{ target.name }}
{%- endmacro %}
