-- One row per HR row in use with the person it is about, ranked among every row that lists that person on
-- that reporting date. A person is counted once per date; when several rows list them, one is chosen by a
-- stated rule, never silently:
--   newer_file          files of several districts list them: the file saved (else loaded) last wins — a
--                       transfer is written by the office that received them after the one that lost them;
--   previous_district   the files are equally new: the district that listed them on their previous date;
--   first_loaded        neither decides: the file loaded first (the lowest batch id);
--   first_row_of_file   one file lists them more than once: its first row (a cadre post before a civil
--                       servant one) is the primary post, the posts of its other rows are held concurrently.
-- rpt_source_conflicts lists every person and date where a rule was needed.
with

dated as (
    select * from {{ ref('int_hr_rows_dated') }}
),

identified as (
    select * from {{ ref('int_hr_rows_identified') }}
),

listed as (
    select
        identified.person_key,
        dated.*
    from dated
    inner join identified on dated.hr_row_id = identified.hr_row_id
),

distinct_dates as (
    select distinct
        person_key,
        reporting_date
    from listed
),

person_dates as (
    select
        person_key,
        reporting_date,
        lag(reporting_date) over (partition by person_key order by reporting_date) as previous_date
    from distinct_dates
),

previous_districts as (
    select distinct
        person_dates.person_key,
        person_dates.reporting_date,
        listed.district_code
    from person_dates
    inner join listed
        on
            person_dates.person_key = listed.person_key
            and person_dates.previous_date = listed.reporting_date
),

flagged as (
    select
        listed.*,
        previous_districts.district_code is not null as in_previous_district
    from listed
    left join previous_districts
        on
            listed.person_key = previous_districts.person_key
            and listed.reporting_date = previous_districts.reporting_date
            and listed.district_code = previous_districts.district_code
),

ranked as (
    select
        *,
        row_number() over (
            partition by person_key, reporting_date
            order by
                file_time desc, in_previous_district desc, batch_id asc, is_cadre desc, source_sheet asc,
                source_row asc
        ) as source_rank,
        count(*) over (partition by person_key, reporting_date) as source_rows,
        -- distinct files listing them (PostgreSQL has no count(distinct) over a window)
        dense_rank() over (partition by person_key, reporting_date order by batch_id)
        + dense_rank() over (partition by person_key, reporting_date order by batch_id desc)
        - 1 as source_files
    from flagged
),

chosen as (
    select
        person_key,
        reporting_date,
        batch_id as chosen_batch_id,
        file_time as chosen_file_time,
        in_previous_district as chosen_in_previous_district
    from ranked
    where source_rank = 1
),

runners_up as (
    -- the best of the other files, to say which criterion decided
    select
        ranked.person_key,
        ranked.reporting_date,
        max(ranked.file_time) as other_file_time,
        bool_or(ranked.in_previous_district) as other_in_previous_district
    from ranked
    inner join chosen
        on
            ranked.person_key = chosen.person_key
            and ranked.reporting_date = chosen.reporting_date
            and ranked.batch_id <> chosen.chosen_batch_id
    group by 1, 2
),

final as (
    select
        ranked.*,
        ranked.batch_id = chosen.chosen_batch_id as in_chosen_file,
        case
            when ranked.source_rows = 1 then 'single_source'
            when ranked.source_files = 1 then 'first_row_of_file'
            when chosen.chosen_file_time > runners_up.other_file_time then 'newer_file'
            when chosen.chosen_in_previous_district and not runners_up.other_in_previous_district
                then 'previous_district'
            else 'first_loaded'
        end as source_rule
    from ranked
    inner join chosen
        on
            ranked.person_key = chosen.person_key
            and ranked.reporting_date = chosen.reporting_date
    left join runners_up
        on
            ranked.person_key = runners_up.person_key
            and ranked.reporting_date = runners_up.reporting_date
)

select * from final
