-- One row per person and reporting date that more than one HR row listed (two districts' files, or one
-- file twice): who (pseudonymous), which districts and posts the files gave, which the warehouse counted
-- and by which rule (int_position_sources). Nothing is resolved silently: this table and the report's
-- data-quality section show every case.
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows('counted_district_code') }}") }}
with

sources as (
    select * from {{ ref('int_position_sources') }}
    where source_rows > 1
),

districts as (
    select
        district_code,
        district_name
    from {{ ref('int_districts') }}
),

titles as (
    select
        title_code,
        title_vi
    from {{ ref('cadre_titles') }}
),

described as (
    select
        sources.*,
        coalesce(districts.district_name, sources.district_code)
        || ': ' || coalesce(titles.title_vi, sources.title_code)
        || ' (' || sources.file_name || ')' as source_vi
    from sources
    left join districts on sources.district_code = districts.district_code
    left join titles on sources.title_code = titles.title_code
),

final as (
    select
        reporting_date,
        {{ pseudonym('person_key') }} as person_id,
        min(source_rule) as source_rule,
        count(*)::int as source_rows,
        count(distinct batch_id)::int as source_files,
        string_agg(distinct district_code, ';' order by district_code) as district_codes,
        min(district_code) filter (where source_rank = 1) as counted_district_code,
        min(title_code) filter (where source_rank = 1) as counted_title_code,
        string_agg(source_vi, '; ' order by source_rank) as sources_vi
    from described
    group by person_key, reporting_date
)

select
    *,
    case source_rule
        when 'newer_file' then 'Tính theo tệp mới hơn'
        when 'previous_district' then 'Tính theo đơn vị của kỳ báo cáo trước'
        when 'first_loaded' then 'Tính theo tệp nạp trước'
        when 'first_row_of_file' then 'Một tệp ghi hai lần: dòng đầu là chức danh chính, các dòng khác là kiêm nhiệm'
    end as source_rule_vi
from final
