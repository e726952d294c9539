"""The review loop: what the ingest could not read is listed; one line in the vocabulary file and a replay
move it where it belongs, with every count still adding up and nothing asked twice."""

from __future__ import annotations

import psycopg
import pytest

from cadre import landing
from ingest import review
from ingest import vocabulary as vocab
from ingest.pipeline import ingest_file
from tests.conftest import fresh_database, query
from tests.ingest import builders


@pytest.fixture
def taught(tmp_path, monkeypatch):
    """Teach the vocabulary: a copy of the file with lines added, in place for the test only."""

    def teach(*lines: tuple[str, str]) -> None:
        text = vocab.VOCABULARY.read_text(encoding="utf-8")
        for anchor, line in lines:
            assert anchor in text
            text = text.replace(anchor, anchor + "\n" + line, 1)
        copy = tmp_path / "vocabulary.yaml"
        copy.write_text(text, encoding="utf-8")
        monkeypatch.setattr(vocab, "VOCABULARY", copy)
        vocab.reset()

    yield teach
    monkeypatch.undo()
    vocab.reset()


def test_unread_values_are_listed_then_taught_and_replayed(embedded_warehouse, tmp_path, taught):
    url = fresh_database(embedded_warehouse, "cadre_review")
    rows = [builders.hr_row(i) for i in range(1, 11)]
    rows[2][5] = "Trưởng Ban Quân sự"  # the military commander, by the unit's name before 2009
    rows[4][5] = "Trưởng Ban Quân sự"
    rows[6][6] = "Đại học văn bằng 2"  # read: a university degree; not read: the next one
    rows[7][6] = "Kỹ thuật viên"
    path = builders.hr_xlsx(tmp_path / "review.xlsx", rows, when="31/10/2023")
    first = ingest_file(path, url)
    assert (first["rows_loaded"], first["rows_quarantined"]) == (8, 2)
    listed = review.unmapped(url)
    assert [(e["column"], e["value"], e["count"], e["files"]) for e in listed] == [
        ("title", "Trưởng Ban Quân sự", 2, ["review.xlsx"]),
        ("prof_level", "Kỹ thuật viên", 1, ["review.xlsx"]),
    ]
    assert not landing.replay_due(url)  # read with today's vocabulary: nothing to replay

    taught(
        ("  aliases:", "    trưởng ban quân sự: CHT_QS"),
        ("    SC: [sơ cấp, sc, s cấp, sơ cấp nghề, công nhân kỹ thuật]", "    CD: [kỹ thuật viên]"),
    )
    assert landing.replay_due(url)
    [replayed] = review.replay(url)
    assert (replayed["moved_to_raw"], replayed["values_read_again"]) == (2, 1)
    assert (replayed["rows_loaded"], replayed["rows_quarantined"]) == (10, 0)
    ledger = query(
        url,
        "select rows_in, rows_loaded, rows_quarantined, revision, vocabulary from raw.ingest_batches "
        "where batch_id = %s",
        (first["batch_id"],),
    )
    assert ledger == [(10, 10, 0, 1, vocab.version())]
    moved = query(
        url,
        "select source_row, title_code from raw.hr_rows where batch_id = %s and title_code = 'CHT_QS' order by 1",
        (first["batch_id"],),
    )
    assert moved == [(8, "CHT_QS"), (10, "CHT_QS")]  # the sheet's own rows, kept through the replay
    assert query(url, "select prof_level, flags from raw.hr_rows where batch_id = %s and source_row = 13",
                 (first["batch_id"],)) == [("CD", [])]  # fmt: skip
    assert review.unmapped(url) == []
    assert review.replay(url) == []  # nothing asked twice
    assert not landing.replay_due(url)


def test_a_replay_never_gives_a_person_a_second_row(embedded_warehouse, tmp_path, taught):
    """A person listed twice waits for a corrected file, whatever the vocabulary learns."""
    url = fresh_database(embedded_warehouse, "cadre_review_conflict")
    rows = [builders.hr_row(i) for i in range(1, 6)]
    rows.append(builders.hr_row(2, title="Trưởng Ban Quân sự"))  # person 2 a second time, another post
    result = ingest_file(builders.hr_xlsx(tmp_path / "twice.xlsx", rows, when="30/11/2023"), url)
    assert result["quarantined_by_reason"] == {"person_conflict": 2, "unknown_title": 1}
    taught(("  aliases:", "    trưởng ban quân sự: CHT_QS"))
    [replayed] = review.replay(url)
    assert replayed["moved_to_raw"] == 0
    assert (replayed["rows_loaded"], replayed["rows_quarantined"]) == (4, 2)


def test_a_replay_reads_a_row_as_its_sheet_did(embedded_warehouse, tmp_path, taught):
    """A quarantined row is read again with what its sheet said of every row: here the body each post is of,
    from a column of its own ("Chủ tịch" | "Hội N.Dân"), not the post alone (which chairs no one body)."""
    url = fresh_database(embedded_warehouse, "cadre_review_context")
    rows = [
        ["UBND HUYỆN TIÊN YÊN"],
        ["DANH SÁCH CÁN BỘ CẤP XÃ ĐẾN 31/12/2023"],
        [],
        ["STT", "Họ và tên", "Ngày sinh", "Chức vụ", "Cơ quan", "Xã"],
        [1, "Nguyễn Văn An", "12/03/1975", "Chủ tịch", "HĐND", "Hà Lâu"],
        [2, "Lê Văn Bình", "05/06/1980", "Chủ tịch", "UBND", "Hà Lâu"],
        [3, "Trần Văn Công", "07/08/1970", "Chủ tịch", "Hội N.Dân", "Hà Lâu"],  # a spelling not known yet
        [4, "Phạm Thị Dung", "09/10/1985", "Bí thư", "Đoàn TN", "Hà Lâu"],
    ]
    first = ingest_file(builders.sheet_xlsx(tmp_path / "co_quan.xlsx", rows), url)
    assert first["quarantined_by_reason"] == {"ambiguous_title": 1}
    taught(("    farmers: [hội nông dân việt nam,", "              hội n dân,"))
    [replayed] = review.replay(url)
    assert replayed["moved_to_raw"] == 1
    assert query(url, "select title_code, commune_code from raw.hr_rows where batch_id = %s and source_row = 7",
                 (first["batch_id"],)) == [("CT_HND", "06865")]  # fmt: skip


def test_a_warehouse_made_before_the_ledger_kept_contexts_is_brought_up_to_date(embedded_warehouse):
    """The ledger's view as a warehouse of the last release has it (every ledger column of then, and its rank):
    the schema adds the new column and keeps the view, whose columns cannot change in place."""
    from ingest import db

    url = fresh_database(embedded_warehouse, "cadre_review_upgrade")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("drop view raw.current_batches")
        conn.execute("alter table raw.ingest_batches drop column contexts")
        conn.execute(
            "create view raw.current_batches as select * from (select b.*, row_number() over (partition by batch_key "
            "order by source_modified desc nulls last, batch_id desc) as recency from raw.ingest_batches as b "
            "where status in ('loaded', 'superseded') and checks in ('passed', 'warned')) as ranked where recency = 1"
        )
    db.ensure_schema(url)
    columns = query(url, "select column_name from information_schema.columns where table_schema = 'raw' "
                         "and table_name = 'ingest_batches' and column_name = 'contexts'")  # fmt: skip
    assert columns == [("contexts",)]
    assert query(url, "select count(*) from raw.current_batches") == [(0,)]
