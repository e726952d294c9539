"""Great Expectations decides whether a batch may be used downstream."""

from __future__ import annotations

from datetime import datetime, timedelta

from ingest.pipeline import ingest_file
from ingest.text import decode_legacy, detect_legacy
from tests.conftest import query
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
    current = query(url, "select batch_id from raw.current_batches where batch_key = 'hr:193:2022-04-30'")
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
    assert [f["suite"] for f in result["checks_failed"]] == ["hr_commune_headcount"]
    assert result["checks_failed"][0]["severity"] == "warning"
    current = query(url, "select count(*) from raw.current_batches where batch_id = %s", (result["batch_id"],))
    assert current == [(1,)]


def test_vni_text_is_detected_by_its_font_and_decoded():
    from viparse.normalize.encodings import CHARMAPS

    to_vni = {uni: seq for seq, uni in CHARMAPS["vni"].pairs}
    original = "Nguyễn Văn Cường, Chủ tịch Ủy ban nhân dân xã Đồng Tâm"
    vni = "".join(to_vni.get(ch, ch) for ch in original)
    assert vni != original
    assert detect_legacy([vni], {"VNI-Times"}) == "vni"
    assert decode_legacy(vni, "vni") == original
