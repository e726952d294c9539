"""What the report shows, read from the published schemas (``reporting``, ``marts``) and the ledger.

Every section is a ``Table``: Vietnamese column labels and rows, the one shape both writers render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import psycopg


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


def _rows(conn: psycopg.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def _structure(conn, dates: list[date]) -> Table:
    data = _rows(
        conn,
        "select indicator_code, indicator_label_vi, sort_order, reporting_date, headcount, share_pct "
        "from reporting.rpt_qualification_structure where scope = 'province' order by sort_order, reporting_date",
    )
    by_indicator: dict[str, list] = {}
    for code, label, _order, day, count, share in data:
        row = by_indicator.setdefault(code, [label] + [None] * (2 * len(dates)))
        i = dates.index(day)
        row[1 + 2 * i], row[2 + 2 * i] = count, share
    columns = ["Chỉ tiêu"] + [c for d in dates for c in (f"Số người {d:%d/%m/%Y}", f"Tỷ lệ % {d:%d/%m/%Y}")]
    latest = len(dates) - 1
    chart = [(r[0], float(r[2 + 2 * latest] or 0)) for code, r in by_indicator.items() if code != "cadre_headcount"]
    return Table(
        "Cơ cấu trình độ",
        "1. Cơ cấu trình độ cán bộ cấp xã (11 chức danh)",
        columns,
        list(by_indicator.values()),
        "Số liệu tính từ báo cáo nhân sự của các huyện, thị xã, thành phố theo từng ngày báo cáo.",
        chart,
    )


def _districts(conn, day: date) -> Table:
    data = _rows(
        conn,
        "select scope_name, "
        "max(headcount) filter (where indicator_code = 'cadre_headcount'), "
        "max(share_pct) filter (where indicator_code = 'prof_university_or_higher'), "
        "max(share_pct) filter (where indicator_code = 'llct_intermediate'), "
        "max(share_pct) filter (where indicator_code = 'qlnn_specialist_or_principal') "
        "from reporting.rpt_qualification_structure where scope = 'district' and reporting_date = %s "
        "group by scope_name order by scope_name",
        (day,),
    )
    return Table(
        "Theo huyện",
        f"2. Cơ cấu trình độ theo đơn vị cấp huyện (ngày {day:%d/%m/%Y})",
        ["Đơn vị", "Số cán bộ", "Đại học trở lên (%)", "Trung cấp LLCT (%)", "QLNN chuyên viên trở lên (%)"],
        [list(r) for r in data],
    )


def _coverage(conn) -> Table:
    data = _rows(
        conn,
        "select category_label_vi, printed_participations, participations, people, trainings_per_person_5y "
        "from reporting.rpt_training_coverage order by category_code = 'TOTAL', category_code",
    )
    total = next((r[2] for r in data if r[0].startswith("Tổng")), None) or 1
    return Table(
        "Bồi dưỡng 2016-2020",
        "3. Kết quả bồi dưỡng giai đoạn 2016-2020",
        ["Loại lớp", "Số lượt báo cáo in", "Số lượt tính được", "Số người", "Lượt/người/5 năm"],
        [list(r) for r in data],
        chart=[(r[0], 100.0 * r[2] / total) for r in data if not r[0].startswith("Tổng")],
    )


def _effectiveness(conn) -> Table:
    data = _rows(
        conn,
        "select survey_file, question, answer_label_vi, answers, respondents, share_pct "
        "from reporting.rpt_training_effectiveness order by survey_batch_id, question, answers desc",
    )
    questions = {"improvement": "Mức độ nâng cao sau bồi dưỡng", "necessity": "Nhu cầu cập nhật kiến thức"}
    rows = [[f, questions.get(q, q), a, n, t, s] for f, q, a, n, t, s in data]
    return Table(
        "Hiệu quả bồi dưỡng",
        "4. Hiệu quả bồi dưỡng (phiếu khảo sát)",
        ["Tệp khảo sát", "Câu hỏi", "Trả lời", "Số phiếu", "Tổng số phiếu", "Tỷ lệ %"],
        rows,
        chart=[(f"{questions.get(q, q)}: {a}", float(s)) for _f, q, a, _n, _t, s in data],
    )


def _standards(conn, day: date) -> Table:
    data = _rows(
        conn,
        "select coalesce(t.title_vi, g.title_code), count(*), count(*) filter (where g.below_standard), "
        "count(*) filter (where g.lacks_professional), count(*) filter (where g.lacks_political_theory) "
        "from reporting.rpt_standards_gap g left join marts.dim_title t using (title_code) "
        "where g.reporting_date = %s group by 1 order by 3 desc, 1",
        (day,),
    )
    return Table(
        "Chưa đạt chuẩn",
        f"5. Cán bộ chưa đạt chuẩn chức danh theo Nghị định 33/2023/NĐ-CP (ngày {day:%d/%m/%Y})",
        ["Chức danh", "Số cán bộ", "Chưa đạt chuẩn", "Thiếu trình độ chuyên môn", "Thiếu trình độ LLCT"],
        [list(r) for r in data],
        "Chức danh mà văn bản chưa quy định rõ mức tối thiểu không được đánh giá.",
    )


def _needs(conn) -> Table:
    data = _rows(
        conn,
        "select target_group, topic_code, topic_title_vi, count(*), count(*) filter (where not completed) "
        "from reporting.rpt_programme_needs group by 1, 2, 3 order by 1, 2",
    )
    return Table(
        "Nhu cầu 2022-2025",
        "6. Nhu cầu bồi dưỡng theo Chương trình 2022-2025",
        ["Nhóm đối tượng", "Mã chuyên đề", "Chuyên đề", "Số cán bộ", "Chưa hoàn thành"],
        [list(r) for r in data],
    )


def _audit(conn) -> Table:
    data = _rows(
        conn,
        "select indicator_label_vi, printed_count, computed_count, printed_share, computed_share, finding "
        "from reporting.rpt_published_figures_audit order by indicator_code",
    )
    findings = {
        "consistent": "Khớp",
        "printed share does not follow from the printed count": "Tỷ lệ in không khớp số người",
    }
    rows = [[*r[:5], findings.get(r[5], r[5])] for r in data]
    return Table(
        "Kiểm tra số liệu công bố",
        "7. Kiểm tra số liệu đã công bố",
        ["Chỉ tiêu", "Số in", "Số tính được", "Tỷ lệ in (%)", "Tỷ lệ tính được (%)", "Nhận xét"],
        rows,
        "Đối chiếu số liệu in trong báo cáo hội thảo với số liệu tính từ kho dữ liệu.",
    )


def _quality(conn, gate_summary: str, docs: str) -> Table:
    data = _rows(
        conn,
        "select coalesce(kind, '(không xác định)'), count(*), count(*) filter (where status = 'loaded'), "
        "count(*) filter (where status = 'superseded'), count(*) filter (where status = 'rejected'), "
        "coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0), "
        "count(*) filter (where checks = 'warned'), count(*) filter (where checks = 'failed') "
        "from raw.ingest_batches group by 1 order by 1",
    )
    return Table(
        "Chất lượng dữ liệu",
        "8. Chất lượng dữ liệu",
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
        ],
        [list(r) for r in data],
        f"Kiểm tra trước khi công bố: {gate_summary}. Chi tiết (Data Docs): {docs}",
    )


def load(url: str, gate_summary: str, docs: str) -> ReportData:
    with psycopg.connect(url) as conn:
        dates = [
            r[0]
            for r in _rows(conn, "select distinct reporting_date from reporting.rpt_qualification_structure order by 1")
        ]
        if not dates:
            raise ValueError("nothing published to report: reporting.rpt_qualification_structure is empty")
        latest = dates[-1]
        sections = [
            _structure(conn, dates),
            _districts(conn, latest),
            _coverage(conn),
            _effectiveness(conn),
            _standards(conn, latest),
            _needs(conn),
            _audit(conn),
            _quality(conn, gate_summary, docs),
        ]
    return ReportData(latest, dates, sections)
