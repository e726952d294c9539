{#- Row-level security on a person-level table (the post-hook of each, beside its grants): a district role
    sees the rows of the districts access.district_grants gives it; cadre_analyst and the transformer (the
    publisher is its member) see every row. Forced, so the table's owner obeys it too; only SELECT is
    allowed, nothing writes a published table. `via_person`: the table has no district of its own, its
    rows follow the person's (dim_person, itself limited). -#}
{% macro district_rows(district_column='district_code', via_person=none) -%}
alter table {{ this }} enable row level security;
alter table {{ this }} force row level security;
create policy district_rows on {{ this }} for select using (
    (select access.sees_all_districts())
    {%- if via_person %}
    or {{ via_person }} in (select dim_person.person_id from {{ ref('dim_person') }} as dim_person)
    {%- else %}
    or {{ district_column }} in (select unnest(access.visible_districts()))
    {%- endif %}
)
{%- endmacro %}

{#- The roles a person-level table is granted to (never cadre_bi): the one list for its `grants` config. -#}
{% macro person_level_readers() -%}
{{ return(['cadre_analyst', 'cadre_district']) }}
{%- endmacro %}
