-- One row per calendar day from 2015 to 2030 (ngày): the year, quarter and month a BI tool groups by,
-- the five-year plan period, and whether it is a reporting date of some loaded HR workbook.
with

days as (
    select generate_series('2015-01-01'::date, '2030-12-31'::date, interval '1 day')::date as date_day
),

reporting_dates as (
    select distinct reporting_date
    from {{ ref('stg_raw__ingest_batches') }}
    where batch_kind = 'hr'
),

final as (
    select
        days.date_day,
        extract(year from days.date_day)::int as year,
        extract(quarter from days.date_day)::int as quarter,
        extract(month from days.date_day)::int as month,
        to_char(days.date_day, 'YYYY-MM') as year_month,
        case
            when days.date_day < '2016-01-01' then '2011-2015'
            when days.date_day < '2021-01-01' then '2016-2020'
            when days.date_day < '2026-01-01' then '2021-2025'
            else '2026-2030'
        end as plan_period,
        reporting_dates.reporting_date is not null as is_reporting_date
    from days
    left join reporting_dates on days.date_day = reporting_dates.reporting_date
)

select * from final
