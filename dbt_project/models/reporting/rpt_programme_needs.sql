-- One row per commune cadre now (int_current_positions: each unit as of its latest list; by their primary post)
-- and topic of their target group's 2022-2025 programme (4 common + 4 of the group): whether a programme roster
-- shows them completing it (the topics it ticks; without a column per topic, the class list's topics of a class
-- completed).
{{ config(grants={'select': person_level_readers()}, post_hook="{{ district_rows() }}") }}
with

cadres as (
    -- who holds a cadre post now: each unit as of its own latest list
    select * from {{ ref('int_current_positions') }}
    where is_cadre
),

groups as (
    select
        target_group,
        label_vi,
        unnest(string_to_array(title_codes, ';')) as title_code
    from {{ ref('target_groups') }}
),

topics as (
    select
        topic_code,
        target_group,
        title_vi
    from {{ ref('programme_topics') }}
),

needed as (
    select
        cadres.person_key,
        cadres.reporting_date,
        cadres.district_code,
        cadres.commune_code,
        cadres.title_code,
        groups.target_group,
        groups.label_vi as target_group_vi,
        topics.topic_code,
        topics.title_vi as topic_title_vi
    from cadres
    inner join groups on cadres.title_code = groups.title_code
    inner join topics on topics.target_group in ('ALL', groups.target_group)
),

classes as (
    select
        class_code,
        topic_codes
    from {{ ref('stg_raw__course_classes') }}
),

attended as (
    -- the topics a roster ticks; a roster without a column per topic: every topic of the class, once completed
    select distinct
        identities.person_key,
        unnest(
            coalesce(rosters.topics_attended, case when rosters.is_completed then classes.topic_codes end)
        ) as topic_code
    from {{ ref('stg_raw__roster_rows') }} as rosters
    inner join {{ ref('int_training_rows_identified') }} as identities
        on rosters.roster_row_id = identities.training_row_id
    left join classes on rosters.class_code = classes.class_code
    where identities.person_key is not null
)

select
    {{ pseudonym('needed.person_key') }} as person_id,
    needed.reporting_date,
    needed.district_code,
    needed.commune_code,
    needed.title_code,
    needed.target_group,
    needed.target_group_vi,
    needed.topic_code,
    needed.topic_title_vi,
    attended.topic_code is not null as completed
from needed
left join attended on needed.person_key = attended.person_key and needed.topic_code = attended.topic_code
