"""What the report shows, read from the published ``reporting`` models: every figure is computed there,
once, so the HTML/XLSX report, a BI tool and an analyst read the same tables. This module only chooses
columns, orders rows and lays them out.

Every section is a ``Table``: Vietnamese column labels and rows, the one shape both writers render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import psycopg

from cadre.reference import project_var

# A count of fewer people than this is printed as "<3" (the reporting models' `_suppressed` tables hide it).
HIDDEN = f"<{project_var('suppress_below')}"
HIDDEN_NOTE = f"{HIDDEN}: ít hơn {project_var('suppress_below')} người, không công bố để bảo vệ thông tin cá nhân."


@dataclass
class Table:
    sheet: str  # the XLSX sheet's name (at most 31 characters)
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    chart: list[tuple[str, float]] = field(default_factory=list)  # (label, percent) bars


@dataclass
class ReportData:
    reporting_date: date
    reporting_dates: list[date]
    sections: list[Table]


def _rows(conn: psycopg.Connection, sql: str, params: tuple = ()) -> list[list]:
    return [list(r) for r in conn.execute(sql, params).fetchall()]


def _shown(conn: psycopg.Connection, sql: str, params: tuple = ()) -> list[list]:
    """Rows of a `_suppressed` table whose last column is ``is_suppressed``: a hidden cell (null in such a row)
    reads "<3", and the flag is dropped."""
    rows = []
    for *row, suppressed in _rows(conn, sql, params):
        rows.append([HIDDEN if suppressed and v is None else v for v in row])
    return rows


def _number(value) -> float:
    return float(value) if isinstance(value, int | float | Decimal) else 0.0


def _structure(conn, dates: list[date]) -> Table:
    data = _shown(
        conn,
        "select indicator_code, indicator_label_vi, reporting_date, headcount, share_pct, is_suppressed "
        "from reporting.rpt_qualification_structure_suppressed where scope = 'province' and scope_code = %s "
        "order by sort_order, reporting_date",
        (project_var("province")["code"],),
    )
    by_indicator: dict[str, list] = {}
    for code, label, day, count, share in data:
        row = by_indicator.setdefault(code, [label] + [None] * (2 * len(dates)))
        i = dates.index(day)
        row[1 + 2 * i], row[2 + 2 * i] = count, share
    columns = ["Chỉ tiêu"] + [c for d in dates for c in (f"Số người {d:%d/%m/%Y}", f"Tỷ lệ % {d:%d/%m/%Y}")]
    latest = len(dates) - 1
    chart = [(r[0], _number(r[2 + 2 * latest])) for code, r in by_indicator.items() if code != "cadre_headcount"]
    return Table(
        "Cơ cấu trình độ",
        "1. Cơ cấu trình độ cán bộ cấp xã (11 chức danh)",
        columns,
        list(by_indicator.values()),
        "Mỗi người được tính một lần theo chức danh chính, kể cả khi giữ thêm chức danh kiêm nhiệm hoặc có tên "
        "trong báo cáo của hai đơn vị (xem mục 9 và 10). " + HIDDEN_NOTE,
        chart,
    )


def _districts(conn, day: date, lists: str) -> Table:
    return Table(
        "Theo huyện",
        f"2. Cơ cấu trình độ theo đơn vị cấp huyện (ngày {day:%d/%m/%Y})",
        [
            "Đơn vị",
            "Số cán bộ",
            "Đại học trở lên (%)",
            "Trung cấp LLCT (%)",
            "QLNN chuyên viên trở lên (%)",
            "Theo danh sách ngày",
        ],
        _rows(
            conn,
            "select district_name, cadres, prof_university_or_higher_pct, llct_intermediate_pct, "
            "qlnn_specialist_or_principal_pct, to_char(latest_list_on, 'DD/MM/YYYY') "
            "from reporting.rpt_district_summary where reporting_date = %s order by district_name",
            (day,),
        ),
        lists.strip(),
    )


def _lists_in_use(conn, day: date) -> str:
    """What a section of one date counts: each district as of its latest list on or before it, and the oldest
    list among them (a district that has not sent a list since counts as it last stood)."""
    oldest = _rows(
        conn,
        "select latest_list_on, string_agg(district_name, ', ' order by district_name) "
        "from reporting.rpt_district_summary where reporting_date = %s and latest_list_on = ("
        "select min(latest_list_on) from reporting.rpt_district_summary where reporting_date = %s) group by 1",
        (day, day),
    )
    said = f"Mỗi huyện được tính theo danh sách mới nhất của huyện đến ngày {day:%d/%m/%Y}"
    if oldest and oldest[0][0] and oldest[0][0] < day:
        return f"{said}; danh sách cũ nhất đang dùng: {oldest[0][1]}, ngày {oldest[0][0]:%d/%m/%Y}. "
    return f"{said}. "


def _posts(conn, day: date, lists: str) -> Table:
    return Table(
        "Chức danh",
        f"3. Số người giữ từng chức danh, kể cả kiêm nhiệm (ngày {day:%d/%m/%Y})",
        ["Nhóm", "Chức danh", "Số người giữ", "Là chức danh chính", "Kiêm nhiệm"],
        _rows(
            conn,
            "select title_group_vi, title_vi, holders, primary_holders, concurrent_holders "
            "from reporting.rpt_posts_by_title "
            "where reporting_date = %s order by title_group_rank, title_code",
            (day,),
        ),
        lists + "Một người giữ hai chức danh được tính ở cả hai dòng; tổng số người ở mục 1.",
    )


def _coverage(conn) -> Table:
    data = _shown(
        conn,
        "select category_label_vi, printed_participations, participations, people, trainings_per_person_5y, "
        "category_code = 'TOTAL', is_suppressed from reporting.rpt_training_coverage_suppressed "
        "order by category_code = 'TOTAL', category_code",
    )
    total = _number(next((r[2] for r in data if r[5]), None)) or 1
    return Table(
        "Bồi dưỡng 2016-2020",
        "4. Kết quả bồi dưỡng giai đoạn 2016-2020",
        ["Loại lớp", "Số lượt báo cáo in", "Số lượt tính được", "Số người", "Lượt/người/5 năm"],
        [r[:5] for r in data],
        HIDDEN_NOTE,
        chart=[(r[0], 100.0 * _number(r[2]) / total) for r in data if not r[5]],
    )


def _effectiveness(conn) -> Table:
    data = _shown(
        conn,
        "select survey_file, question_label_vi, answer_label_vi, answers, respondents, share_pct, is_suppressed "
        "from reporting.rpt_training_effectiveness_suppressed "
        "order by survey_batch_id, question, answers desc nulls last",
    )
    return Table(
        "Hiệu quả bồi dưỡng",
        "5. Hiệu quả bồi dưỡng (phiếu khảo sát)",
        ["Tệp khảo sát", "Câu hỏi", "Trả lời", "Số phiếu", "Tổng số phiếu", "Tỷ lệ %"],
        data,
        HIDDEN_NOTE,
        chart=[(f"{q}: {a}", _number(s)) for _f, q, a, _n, _t, s in data],
    )


def _standards(conn, day: date, lists: str) -> Table:
    return Table(
        "Chưa đạt chuẩn",
        f"6. Cán bộ chưa đạt chuẩn chức danh theo Nghị định 33/2023/NĐ-CP (ngày {day:%d/%m/%Y})",
        ["Chức danh", "Số người giữ", "Chưa đạt chuẩn", "Thiếu trình độ chuyên môn", "Thiếu trình độ LLCT"],
        _shown(
            conn,
            "select title_vi, holders, below_standard, lacking_professional, lacking_political_theory, is_suppressed "
            "from reporting.rpt_standards_by_title_suppressed where reporting_date = %s "
            "order by title_code = 'TOTAL', below_standard desc nulls last, title_vi",
            (day,),
        ),
        lists + "Người kiêm nhiệm được đối chiếu với chuẩn của từng chức danh; dòng tổng tính mỗi người một lần. "
        "Chức danh mà văn bản chưa quy định rõ mức tối thiểu không được đánh giá. " + HIDDEN_NOTE,
    )


def _needs(conn, lists: str) -> Table:
    return Table(
        "Nhu cầu 2022-2025",
        "7. Nhu cầu bồi dưỡng theo Chương trình 2022-2025",
        ["Nhóm đối tượng", "Mã chuyên đề", "Chuyên đề", "Số cán bộ", "Chưa hoàn thành"],
        _shown(
            conn,
            "select target_group_vi, topic_code, topic_title_vi, cadres, not_completed, is_suppressed "
            "from reporting.rpt_programme_needs_by_topic_suppressed order by target_group, topic_code",
        ),
        "Những người đang giữ chức danh. " + lists + HIDDEN_NOTE,
    )


def _audit(conn) -> Table:
    return Table(
        "Kiểm tra số liệu công bố",
        "8. Kiểm tra số liệu đã công bố",
        ["Ngày báo cáo", "Chỉ tiêu", "Số in", "Số tính được", "Tỷ lệ in (%)", "Tỷ lệ tính được (%)", "Nhận xét"],
        _rows(
            conn,
            "select to_char(reporting_date, 'DD/MM/YYYY'), indicator_label_vi, printed_count, computed_count, "
            "printed_share, computed_share, finding_vi from reporting.rpt_published_figures_audit "
            "order by reporting_date, indicator_code",
        ),
        "Đối chiếu số liệu in trong báo cáo hội thảo với số liệu tính từ kho dữ liệu.",
    )


def _quality(conn, gate_summary: str, docs: str) -> Table:
    return Table(
        "Chất lượng dữ liệu",
        "9. Chất lượng dữ liệu",
        [
            "Loại tệp",
            "Số tệp",
            "Đã nạp",
            "Đã thay thế",
            "Bị từ chối",
            "Dòng đã nạp",
            "Dòng cách ly",
            "Cảnh báo kiểm tra",
            "Không đạt kiểm tra",
            "Người có tên ở hai nguồn",
        ],
        _rows(
            conn,
            "select kind_vi, files, files_loaded, files_superseded, files_rejected, rows_loaded, rows_quarantined, "
            "checks_warned, checks_failed, source_conflicts from reporting.rpt_data_quality order by sort_order",
        ),
        f"Kiểm tra trước khi công bố: {gate_summary}. Chi tiết (Data Docs): {docs}",
    )


def _conflicts(conn) -> Table:
    return Table(
        "Trùng nguồn",
        "10. Người có tên ở hai nguồn trong cùng một ngày báo cáo",
        ["Ngày báo cáo", "Mã người (ẩn danh)", "Các nguồn", "Cách tính"],
        _rows(
            conn,
            "select to_char(reporting_date, 'DD/MM/YYYY'), left(person_id, 12), sources_vi, source_rule_vi "
            "from reporting.rpt_source_conflicts order by reporting_date, sources_vi",
        ),
        "Mỗi người chỉ được tính một lần; quy tắc chọn nguồn được ghi ở cột cuối.",
    )


def load(url: str, gate_summary: str, docs: str) -> ReportData:
    with psycopg.connect(url) as conn:
        dates = [
            r[0]
            for r in _rows(
                conn, "select distinct reporting_date from reporting.rpt_qualification_structure_suppressed order by 1"
            )
        ]
        if not dates:
            raise ValueError("nothing published to report: reporting.rpt_qualification_structure_suppressed is empty")
        latest = dates[-1]
        lists = _lists_in_use(conn, latest)  # what each section of that date says it counts
        sections = [
            _structure(conn, dates),
            _districts(conn, latest, lists),
            _posts(conn, latest, lists),
            _coverage(conn),
            _effectiveness(conn),
            _standards(conn, latest, lists),
            _needs(conn, lists),
            _audit(conn),
            _quality(conn, gate_summary, docs),
            _conflicts(conn),
        ]
    return ReportData(latest, dates, sections)
