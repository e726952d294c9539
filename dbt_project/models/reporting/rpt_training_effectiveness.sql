-- Exact counts, for analysts, the gate and the audit; everyone else reads rpt_training_effectiveness_suppressed.
{{ config(grants={'select': exact_count_readers()}) }}
-- One row per survey file, question and answer of the training survey's two questions: how many answered
-- it and the share of that survey's respondents, to two decimals (the report's 26.84 / 36.23 / 24.27 / 9 %
-- and 75.24 %). Each survey file (a batch) is its own survey: a later survey never blends into the first.
-- Answers and their labels come from the scales of training_eval_scales (their one home).
with

responses as (
    select * from {{ ref('stg_raw__survey_responses') }}
),

questions as (
    select *
    from (
        values
        ('improvement', 'Mức độ nâng cao sau bồi dưỡng'),
        ('necessity', 'Nhu cầu cập nhật kiến thức')
    ) as q (question, question_label_vi)
),

scales as (
    select
        question,
        code,
        label_vi
    from {{ ref('training_eval_scales') }}
    where question is not null
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
        questions.question_label_vi,
        counted.answer_code,
        case when counted.answer_code = 'BLANK' then 'Không trả lời' else scales.label_vi end as answer_label_vi,
        counted.answers,
        counted.respondents::bigint as respondents,
        round(100.0 * counted.answers / counted.respondents, 2) as share_pct
    from counted
    inner join batches on counted.batch_id = batches.batch_id
    inner join questions on counted.question = questions.question
    left join scales on counted.question = scales.question and counted.answer_code = scales.code
)

select * from final
