-- One row per figure the workshop report printed: the printed count and share against what the
-- warehouse computes, and whether the print is arithmetically possible at all.
with

published as (
    select * from {{ ref('published_figures') }}
),

computed as (
    select * from {{ ref('rpt_qualification_structure') }}
    where scope = 'province' and scope_code = '{{ var("province")["code"] }}'
),

printed_total as (
    select
        reporting_date,
        printed_count as total
    from published
    where indicator_code = 'cadre_headcount'
),

indicators as (
    select
        indicator_code,
        dimension,
        is_group
    from {{ ref('report_indicators') }}
),

dimension_sums as (
    -- the printed counts of a dimension's disjoint groups may not add up to more than the total
    select
        published.reporting_date,
        indicators.dimension,
        sum(published.printed_count) as printed_dimension_sum
    from published
    inner join indicators on published.indicator_code = indicators.indicator_code
    where indicators.is_group
    group by 1, 2
),

audited as (
    select
        published.indicator_code,
        published.reporting_date,
        computed.indicator_label_vi,
        published.source_quote_vi,
        published.printed_count,
        computed.headcount as computed_count,
        published.printed_share,
        round(100.0 * published.printed_count / printed_total.total, 2) as share_of_printed_count,
        computed.share_pct as computed_share,
        dimension_sums.printed_dimension_sum,
        printed_total.total as printed_total,
        published.printed_count = computed.headcount as count_matches,
        published.printed_share is null
        or published.printed_share = round(100.0 * published.printed_count / printed_total.total, 2)
            as printed_share_consistent,
        coalesce(dimension_sums.printed_dimension_sum <= printed_total.total, true) as dimension_sum_possible
    from published
    inner join printed_total on published.reporting_date = printed_total.reporting_date
    inner join indicators on published.indicator_code = indicators.indicator_code
    left join computed
        on
            published.indicator_code = computed.indicator_code
            and published.reporting_date = computed.reporting_date
    left join dimension_sums
        on
            published.reporting_date = dimension_sums.reporting_date
            and indicators.dimension = dimension_sums.dimension
),

final as (
    select
        *,
        case
            when not dimension_sum_possible then 'impossible_group_sum'
            when not printed_share_consistent then 'share_inconsistent'
            when not count_matches then 'disagrees'
            else 'consistent'
        end as finding
    from audited
)

select
    *,
    case finding
        when 'impossible_group_sum' then 'Không thể đúng: tổng các nhóm vượt quá tổng số'
        when 'share_inconsistent' then 'Tỷ lệ in không khớp số người'
        when 'disagrees' then 'Khác số liệu tính từ kho dữ liệu'
        else 'Khớp'
    end as finding_vi
from final
