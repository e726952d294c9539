{#- The rows of a raw table that downstream may use: those of the newest batch per delivery that did not
    fail its checks (raw.current_batches). -#}
{% macro raw_in_use(table_name) -%}
    select * from {{ source('raw', table_name) }}
    where batch_id in (select current.batch_id from {{ source('raw', 'current_batches') }} as current)
{%- endmacro %}
