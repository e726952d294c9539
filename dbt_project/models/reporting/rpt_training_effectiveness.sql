-- One row per answer of the training survey's two questions: how many answered it and the share of all
-- respondents, to two decimals (the report's 26.84 / 36.23 / 24.27 / 9 % and 75.24 %).
with

responses as (
    select * from {{ ref('stg_raw__survey_responses') }}
),

scale as (
    select code, label_vi, ordinal from {{ ref('training_eval_scales') }} where scale = 'self_rated_improvement'
),

answers as (
    select 'improvement' as question, coalesce(improvement_code, 'BLANK') as answer_code from responses
    union all
    select 'necessity' as question, coalesce(necessity_code, 'BLANK') as answer_code from responses
),

counted as (
    select
        question,
        answer_code,
        count(*) as answers,
        sum(count(*)) over (partition by question) as respondents
    from answers
    group by 1, 2
),

final as (
    select
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
    left join scale on counted.question = 'improvement' and counted.answer_code = scale.code
)

select * from final
