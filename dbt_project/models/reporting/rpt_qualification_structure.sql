-- One row per reporting date, scope (the province, or one district) and indicator: how many commune
-- cadres (11 titles) hold a level, and their share to two decimals, as the workshop report prints them.
with

cadres as (
    select * from {{ ref('int_hr_rows_dated') }}
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
    select district_code, district_name from {{ ref('qn_districts_2020') }}
),

scoped as (
    select 'province' as scope, 'Tỉnh Quảng Ninh' as scope_name, cadres.*
    from cadres
    union all
    select 'district' as scope, districts.district_name as scope_name, cadres.*
    from cadres
    inner join districts on cadres.district_code = districts.district_code
),

counted as (
    select
        scoped.reporting_date,
        scoped.scope,
        scoped.scope_name,
        indicators.indicator_code,
        indicators.dimension,
        indicators.sort_order,
        indicators.label_vi,
        count(*) filter (
            where indicators.dimension = 'total'
            or (indicators.dimension = 'prof' and scoped.prof_level = any(indicators.level_codes))
            or (indicators.dimension = 'llct' and scoped.political_theory_level = any(indicators.level_codes))
            or (indicators.dimension = 'qlnn' and scoped.state_management_level = any(indicators.level_codes))
        ) as headcount,
        count(*) as cadres_total
    from scoped
    cross join indicators
    group by 1, 2, 3, 4, 5, 6, 7
),

final as (
    select
        reporting_date,
        scope,
        scope_name,
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
