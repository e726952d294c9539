-- Exact counts, for analysts, the gate and the audit; everyone else reads rpt_qualification_structure_suppressed.
{{ config(grants={'select': exact_count_readers()}) }}
-- One row per reporting date, scope and indicator: how many commune cadres (11 titles; each person once, by
-- their primary post) hold a level, and their share to two decimals, as the workshop report prints them.
-- Scopes: the province (each province a file came from), each district before July 2025 (the home
-- province's of 2020), and each commune unit of July 2025 of the home province (via the crosswalk; a cadre
-- of an old commune that was split counts in every new unit that took part of it, and the row says it is
-- approximate; communes dissolved before 2025 that the crosswalk does not reach count under UNMAPPED, so
-- nobody drops out). A level that was left blank or not read (ingest keeps the text and flags it) counts
-- under UNKNOWN: a spelling never lowers a headcount.
with

cadres as (
    -- one row per person per date, each unit as of its latest list (int_positions_as_of): a person two files
    -- list counts once
    select * from {{ ref('int_positions_as_of') }}
    where is_cadre
),

indicators as (
    select
        indicator_code,
        dimension,
        sort_order,
        label_vi,
        string_to_array(level_codes, ';') as level_codes
    from {{ ref('report_indicators') }}
),

districts as (
    -- every district before July 2025 with its province: files from other provinces count in their own
    select
        district_code,
        district_name,
        province_code,
        province_name
    from {{ ref('int_districts') }}
),

crosswalk as (
    select
        new_commune_code,
        new_commune_name,
        old_commune_code,
        is_partial
    from {{ ref('qn_crosswalk_2025_old_to_new') }}
),

scoped as (
    select
        'province' as scope,
        coalesce(districts.province_code, '{{ var("province")["code"] }}') as scope_code,
        coalesce(districts.province_name, '{{ var("province")["name_vi"] }}') as scope_name,
        false as is_approximate,
        cadres.*
    from cadres
    left join districts on cadres.district_code = districts.district_code
    union all
    select
        'district' as scope,
        districts.district_code,
        districts.district_name,
        false as is_approximate,
        cadres.*
    from cadres
    inner join districts on cadres.district_code = districts.district_code
    union all
    select
        'commune_2025' as scope,
        coalesce(crosswalk.new_commune_code, 'UNMAPPED') as scope_code,
        coalesce(crosswalk.new_commune_name, 'Chưa xác định đơn vị mới') as scope_name,
        coalesce(crosswalk.is_partial, true) as is_approximate,
        cadres.*
    from cadres
    left join crosswalk on cadres.commune_code = crosswalk.old_commune_code
    -- the crosswalk of July 2025 is the home province's: other provinces have no commune_2025 scope yet
    where cadres.district_code in (select qn.district_code from {{ ref('qn_districts_2020') }} as qn)
),

-- the cadres of each scope counted by their three levels first: each indicator then adds up a few counts,
-- not every cadre again (a cross join of 200k cadres with every indicator took 6 s nationally)
levels as (
    select
        reporting_date,
        scope,
        scope_code,
        scope_name,
        bool_or(is_approximate) as is_approximate,
        coalesce(prof_level, 'UNKNOWN') as prof_level,
        coalesce(political_theory_level, 'UNKNOWN') as political_theory_level,
        coalesce(state_management_level, 'UNKNOWN') as state_management_level,
        count(*) as cadres
    from scoped
    group by 1, 2, 3, 4, 6, 7, 8
),

counted as (
    select
        levels.reporting_date,
        levels.scope,
        levels.scope_code,
        levels.scope_name,
        bool_or(levels.is_approximate) as is_approximate,
        indicators.indicator_code,
        indicators.dimension,
        indicators.sort_order,
        indicators.label_vi,
        coalesce(sum(levels.cadres) filter (
            where indicators.dimension = 'total'
            or (indicators.dimension = 'prof' and levels.prof_level = any(indicators.level_codes))
            or (indicators.dimension = 'llct' and levels.political_theory_level = any(indicators.level_codes))
            or (indicators.dimension = 'qlnn' and levels.state_management_level = any(indicators.level_codes))
        ), 0)::bigint as headcount,
        sum(levels.cadres)::bigint as cadres_total
    from levels
    cross join indicators
    group by 1, 2, 3, 4, 6, 7, 8, 9
),

final as (
    select
        reporting_date,
        scope,
        scope_code,
        scope_name,
        is_approximate,
        indicator_code,
        dimension,
        sort_order,
        label_vi as indicator_label_vi,
        headcount,
        cadres_total,
        round(100.0 * headcount / nullif(cadres_total, 0), 2) as share_pct
    from counted
)

select * from final
