{#- The raw batches this build reads: those pinned for its target when it began (ops.build_inputs, written
    by the refresh's `begin` for `candidate` and by `cadre dbt` for `dev`). A file ingested while a refresh
    runs is not among them, so it never mixes into the candidate and the publish's log stays true. -#}
{% macro batches_in_use() -%}
    (
        select unnest(pinned.batches) from {{ source('ops', 'build_inputs') }} as pinned
        where pinned.target = '{{ target.name }}'
    )
{%- endmacro %}

{#- The rows of a raw table in the batches this build reads. -#}
{% macro raw_in_use(table_name) -%}
    select * from {{ source('raw', table_name) }}
    where batch_id in {{ batches_in_use() }}
{%- endmacro %}
