-- One row per survey file, question and answer of the training survey's two questions: how many answered
-- it and the share of that survey's respondents, to two decimals (the report's 26.84 / 36.23 / 24.27 / 9 %
-- and 75.24 %). Each survey file (a batch) is its own survey: a later survey never blends into the first.
with

responses as (
    select * from {{ ref('stg_raw__survey_responses') }}
),

scale as (
    select
        code,
        label_vi,
        ordinal
    from {{ ref('training_eval_scales') }}
    where scale = 'self_rated_improvement'
),

batches as (
    select
        batch_id,
        file_name
    from {{ ref('stg_raw__ingest_batches') }}
),

answers as (
    select
        batch_id,
        'improvement' as question,
        coalesce(improvement_code, 'BLANK') as answer_code
    from responses
    union all
    select
        batch_id,
        'necessity' as question,
        coalesce(necessity_code, 'BLANK') as answer_code
    from responses
),

counted as (
    select
        batch_id,
        question,
        answer_code,
        count(*) as answers,
        sum(count(*)) over (partition by batch_id, question) as respondents
    from answers
    group by 1, 2, 3
),

final as (
    select
        counted.batch_id as survey_batch_id,
        batches.file_name as survey_file,
        counted.question,
        counted.answer_code,
        coalesce(
            scale.label_vi,
            case counted.answer_code
                when 'RAT_CAN' then 'Rất cần thiết'
                when 'CAN' then 'Cần thiết'
                when 'KHONG_CAN' then 'Không cần thiết'
                when 'BLANK' then 'Không trả lời'
            end
        ) as answer_label_vi,
        counted.answers,
        counted.respondents::bigint as respondents,
        round(100.0 * counted.answers / counted.respondents, 2) as share_pct
    from counted
    inner join batches on counted.batch_id = batches.batch_id
    left join scale on counted.question = 'improvement' and counted.answer_code = scale.code
)

select * from final
