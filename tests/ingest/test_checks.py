"""Great Expectations decides whether a batch may be used downstream."""

from __future__ import annotations

from datetime import datetime, timedelta

from ingest.pipeline import ingest_file
from ingest.text import decode_legacy, detect_legacy
from tests.conftest import fresh_database, query
from tests.ingest import builders


def test_a_batch_failing_a_critical_expectation_stays_in_raw_but_is_not_used(url, tmp_path):
    when = datetime(2022, 4, 1, 8, 0)
    good = builders.hr_xlsx(
        tmp_path / "good.xlsx", [builders.hr_row(i) for i in range(1, 4)], when="30/04/2022", modified=when
    )
    # a later "correction" in which every row is refused: nothing would be left to use
    broken_rows = [builders.hr_row(i, title="Trưởng thôn") for i in range(1, 4)]
    broken = builders.hr_xlsx(
        tmp_path / "broken.xlsx", broken_rows, when="30/04/2022", modified=when + timedelta(days=1)
    )
    first, second = ingest_file(good, url), ingest_file(broken, url)
    assert first["checks"] in ("passed", "warned")  # three people in a ward: a partial submission
    assert second["status"] == "loaded"  # kept for inspection...
    assert second["checks"] == "failed"
    assert any(f["expectation"] == "expect_table_row_count_to_be_between" for f in second["checks_failed"])
    assert second["supersedes"] == []  # ...but it displaces nothing
    current = query(url, "select batch_id from raw.current_batches where batch_key = 'hr:193:06649:2022-04-30'")
    assert current == [(first["batch_id"],)]
    ledger = query(
        url, "select checks, checks_detail::text from raw.ingest_batches where batch_id = %s", (second["batch_id"],)
    )
    assert ledger[0][0] == "failed"
    assert "a file whose every row was refused" in ledger[0][1]


def test_an_implausible_commune_headcount_only_warns(url, tmp_path):
    rows = [builders.hr_row(i) for i in range(1, 46)]  # 45 people in one ward: a double entry?
    result = ingest_file(builders.hr_xlsx(tmp_path / "crowded.xlsx", rows, when="31/07/2022"), url)
    assert result["checks"] == "warned"
    assert "hr_commune_headcount" in [f["suite"] for f in result["checks_failed"]]
    assert {f["severity"] for f in result["checks_failed"]} == {"warning"}
    current = query(url, "select count(*) from raw.current_batches where batch_id = %s", (result["batch_id"],))
    assert current == [(1,)]


def _failed(result: dict) -> dict[tuple[str, str], str]:
    """(suite, column) -> severity of each expectation the batch did not meet."""
    return {(f["suite"], f.get("column")): f["severity"] for f in result["checks_failed"]}


def test_a_file_with_many_refused_rows_warns_then_fails(embedded_warehouse, tmp_path):
    url = fresh_database(embedded_warehouse, "cadre_checks_share")
    rows = [builders.hr_row(i) for i in range(1, 21)]
    for i in (3, 7):  # 2 of 20 refused: 10 %
        rows[i][5] = "Trưởng thôn"
    some = ingest_file(builders.hr_xlsx(tmp_path / "some.xlsx", rows, when="31/01/2023"), url)
    assert _failed(some)[("hr_delivery", "quarantined_share")] == "warning"
    assert some["checks"] == "warned"
    for i in range(10):  # 10 of 20 refused: 50 %
        rows[i][5] = "Trưởng thôn"
    many = ingest_file(builders.hr_xlsx(tmp_path / "many.xlsx", rows, when="28/02/2023"), url)
    assert _failed(many)[("hr_delivery", "quarantined_share")] == "critical"
    assert many["checks"] == "failed"


def test_a_headcount_far_from_the_districts_last_delivery_warns(embedded_warehouse, tmp_path):
    url = fresh_database(embedded_warehouse, "cadre_checks_headcount")
    first = ingest_file(builders.hr_xlsx(tmp_path / "a.xlsx", [builders.hr_row(i) for i in range(1, 21)],
                                         when="31/03/2023"), url)  # fmt: skip
    assert ("hr_delivery", "headcount_ratio") not in _failed(first)  # nothing to compare with
    steady = ingest_file(builders.hr_xlsx(tmp_path / "b.xlsx", [builders.hr_row(i) for i in range(1, 19)],
                                          when="30/06/2023"), url)  # fmt: skip
    assert ("hr_delivery", "headcount_ratio") not in _failed(steady)  # 18 of 20: within 20 %
    halved = ingest_file(builders.hr_xlsx(tmp_path / "c.xlsx", [builders.hr_row(i) for i in range(1, 10)],
                                          when="30/09/2023"), url)  # fmt: skip
    assert _failed(halved)[("hr_delivery", "headcount_ratio")] == "warning"  # 9 after 18: a partial file?


def test_communes_of_another_district_are_loaded_but_flagged(embedded_warehouse, tmp_path):
    url = fresh_database(embedded_warehouse, "cadre_checks_district")
    rows = [builders.hr_row(i) for i in range(1, 11)]
    rows[0][4] = "Phường Cửa Ông"  # Cẩm Phả, in Hạ Long's list
    one = ingest_file(builders.hr_xlsx(tmp_path / "one.xlsx", rows, when="31/01/2023"), url)
    assert _failed(one)[("hr_delivery", "other_district_share")] == "warning"
    flagged = query(url, "select commune_code, flags from raw.hr_rows where batch_id = %s and source_row = 6",
                    (one["batch_id"],))  # fmt: skip
    assert flagged == [("06763", ["commune:other_district"])]
    for row in rows:
        row[4] = "Phường Cửa Ông"
    every = ingest_file(builders.hr_xlsx(tmp_path / "every.xlsx", rows, when="28/02/2023"), url)
    assert every["checks"] == "failed"  # a Cẩm Phả list under Hạ Long's name


def test_unknown_values_in_a_qualification_column_warn_and_name_it(embedded_warehouse, tmp_path):
    url = fresh_database(embedded_warehouse, "cadre_checks_unknown")
    rows = [builders.hr_row(i, llct="Lớp học nghị quyết" if i % 3 == 0 else "TC") for i in range(1, 13)]
    result = ingest_file(builders.hr_xlsx(tmp_path / "llct.xlsx", rows, when="31/01/2023"), url)
    assert result["rows_loaded"] == 12  # nobody refused for a level nobody listed
    unknown = next(f for f in result["checks_failed"] if f["suite"] == "hr_unknown_values")
    assert (unknown["severity"], unknown["column"]) == ("warning", "llct")


def test_vni_text_is_detected_by_its_font_and_decoded():
    from viparse.normalize.encodings import CHARMAPS

    to_vni = {uni: seq for seq, uni in CHARMAPS["vni"].pairs}
    original = "Nguyễn Văn Cường, Chủ tịch Ủy ban nhân dân xã Đồng Tâm"
    vni = "".join(to_vni.get(ch, ch) for ch in original)
    assert vni != original
    assert detect_legacy([vni], {"VNI-Times"}) == "vni"
    assert decode_legacy(vni, "vni") == original
