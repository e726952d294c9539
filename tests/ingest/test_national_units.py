"""Files from outside Quảng Ninh: real district and commune names (the national seeds), resolved to their GSO
codes from the evidence a file carries; a name that fits several districts is rejected with the candidates
named. Fixtures are written by hand, the names taken from the GSO list; the sample generator is not used."""

from __future__ import annotations

import pytest

from cadre import reference
from ingest import units
from ingest import vocabulary as vocab
from ingest.errors import FileRejected
from ingest.pipeline import ingest_paths, plan_file
from tests.conftest import fresh_database, query
from tests.ingest.builders import hr_row, hr_xlsx

CHAU_THANH = {"708", "808", "821", "831", "847", "877", "892", "905", "933", "942"}  # ten districts, one name


def _rows(communes: list[str], prefix: str = "082") -> list[list]:
    rows = [hr_row(i, commune=c) for i, c in enumerate(communes, start=1)]
    for i, row in enumerate(rows, start=1):
        row[3] = f"{prefix}1800{i:05d}"  # a citizen ID issued by the province of ``prefix``
    return rows


def test_a_district_named_with_its_province_resolves_to_its_gso_code(tmp_path):
    path = hr_xlsx(
        tmp_path / "ds.xlsx",
        _rows(["Xã Tân Thạch", "Xã Quới Sơn"], prefix="083"),
        authority="UBND TỈNH BẾN TRE - ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH",
    )
    assert plan_file(path).info["district_code"] == "831"


def test_without_a_province_the_communes_listed_decide(tmp_path):
    # "Tân Lý Đông" and "Điềm Hy" are communes of Châu Thành in Tiền Giang only
    path = hr_xlsx(
        tmp_path / "ds.xlsx",
        _rows(["Xã Tân Lý Đông", "Xã Điềm Hy", "Xã Tân Phú"], prefix="001"),
        authority="UBND HUYỆN CHÂU THÀNH",
    )
    assert plan_file(path).info["district_code"] == "821"


def test_a_folder_named_after_the_province_decides(tmp_path):
    path = hr_xlsx(
        tmp_path / "Tra_Vinh" / "2020" / "DS_CBCC_Chau_Thanh.xlsx",
        _rows(["Thị trấn Châu Thành"], prefix="001"),
        authority="PHÒNG NỘI VỤ HUYỆN CHÂU THÀNH",
    )
    assert plan_file(path).info["district_code"] == "847"


def test_the_province_of_most_citizen_ids_decides_when_nothing_names_one(tmp_path):
    rows = _rows(["Thị trấn Châu Thành"] * 3, prefix="094")
    path = hr_xlsx(tmp_path / "ds.xlsx", rows, authority="UBND H. CHÂU THÀNH")
    assert plan_file(path).info["district_code"] == "942"  # Sóc Trăng issued the IDs


def test_an_ambiguous_district_is_rejected_naming_every_candidate(tmp_path):
    # four Châu Thành have a "Thị trấn Châu Thành"; the IDs are from Hà Nội, which has no Châu Thành
    rows = _rows(["Thị trấn Châu Thành"], prefix="001")
    path = hr_xlsx(tmp_path / "ds.xlsx", rows, authority="UBND HUYỆN CHÂU THÀNH")
    with pytest.raises(FileRejected) as rejected:
        plan_file(path)
    assert rejected.value.code == "ambiguous_district"
    for code in CHAU_THANH:
        assert code in rejected.value.message
    assert "Tỉnh Tiền Giang" in rejected.value.message
    assert "Tỉnh Sóc Trăng" in rejected.value.message


def test_numbered_urban_districts_are_names_too():
    # found by the national benchmark: "Quận 10" was read as a kind without a name
    assert units.districts_named("ỦY BAN NHÂN DÂN QUẬN 10") == {"771"}
    assert units.districts_named("UBND QUẬN 1 - PHÒNG NỘI VỤ") == {"760"}
    assert units.districts_named("UBND Q. PHÚ NHUẬN") == {"768"}


def test_home_districts_keep_resolving_by_their_bare_name():
    assert units.districts_named("DANH SÁCH CÁN BỘ CẤP XÃ - TIÊN YÊN") == {"199"}
    assert units.districts_named("ỦY BAN NHÂN DÂN TP. HẠ LONG") == {"193"}
    # a bare name of another province is not a district: "Hòa Bình" is also a commune and a province
    assert units.districts_named("DANH SÁCH CÁN BỘ XÃ HÒA BÌNH") == set()


def test_two_communes_that_differ_only_by_a_tone_are_told_apart_when_typed_with_it():
    # Yên Thành (Nghệ An) has a Xã Đông Thành and a Xã Đồng Thành: found by the national benchmark
    assert vocab.map_commune("Xã Đồng Thành", "426") == ("17545", None)
    assert vocab.map_commune("Đông Thành", "426") == ("17572", None)
    assert vocab.map_commune("Xa Dong Thanh", "426") == (None, "ambiguous_commune")  # without tones: never guessed


def test_communes_of_another_province_map_to_their_codes():
    assert vocab.map_commune("Xã Điềm Hy", "821") == ("28540", None)
    code, reason = vocab.map_commune("Xã Điềm Hy", "821")
    assert reason is None
    assert vocab.commune_district()[code] == "821"
    assert vocab.map_commune("Xã Điềm Hy", "831") == (None, "unknown_commune")


def test_a_file_from_another_province_loads_with_its_units(embedded_warehouse, tmp_path):
    url = fresh_database(embedded_warehouse, "cadre_national_units")
    path = hr_xlsx(
        tmp_path / "Ben_Tre" / "chau_thanh.xlsx",
        _rows(["Xã Tân Thạch", "Xã Quới Sơn", "Thị trấn Châu Thành"], prefix="083"),
        authority="UBND HUYỆN CHÂU THÀNH",
    )
    [result] = ingest_paths([path], url, key="test-session-pseudonym-key")
    assert result["status"] == "loaded", result
    assert query(url, "select count(*) from quarantine.rows") == [(0,)]
    codes = query(
        url,
        "select distinct b.district_code, r.commune_code from raw.hr_rows as r "
        "join raw.ingest_batches as b using (batch_id) order by 2",
    )
    assert {d for d, _ in codes} == {"831"}
    assert all(vocab.commune_district()[c] == "831" for _, c in codes)
    assert len(codes) == 3


def test_a_list_of_several_districts_is_rejected_naming_them(tmp_path):
    """A province's consolidated list (the Sở Nội vụ's): one batch is one district's list, so it is refused with
    the districts named, never filed under the one with most communes."""
    communes = ["Xã Đại Dực", "Xã Hà Lâu", "Xã Điền Xá", "Xã Húc Động", "Xã Đồng Văn"]  # Tiên Yên 3, Bình Liêu 2
    path = hr_xlsx(tmp_path / "ds.xlsx", _rows(communes, prefix="022"), authority="UBND TỈNH QUẢNG NINH - SỞ NỘI VỤ")
    with pytest.raises(FileRejected) as rejected:
        plan_file(path)
    assert rejected.value.code == "several_districts"
    assert "Huyện Tiên Yên" in rejected.value.message
    assert "Huyện Bình Liêu" in rejected.value.message


def test_one_person_of_a_neighbours_commune_leaves_the_list_its_districts(tmp_path):
    communes = ["Xã Đại Dực", "Xã Hà Lâu", "Xã Điền Xá", "Xã Húc Động"]
    path = hr_xlsx(tmp_path / "ds.xlsx", _rows(communes, prefix="022"), authority="UBND TỈNH QUẢNG NINH")
    assert plan_file(path).info["district_code"] == "199"


def test_a_rosters_units_are_read_in_the_province_its_title_names():
    """A class list of a Quảng Ninh centre names no commune's district; a unit no commune of the province has is
    unknown, not its namesake elsewhere, and a name of the province is found in any of its districts."""
    from ingest.rows import _commune

    home = reference.project_var("province")["code"]
    assert _commune("Xã Quảng Lợi", None) == ("19876", None, None)  # no province said: the country's one
    assert _commune("Xã Quảng Lợi", None, home)[0] is None
    assert _commune("UBND xã Quảng Tân", None, home)[0] == "06913"
    assert _commune("Xã Điềm Hy", None, vocab.district_province()["821"]) == ("28540", None, None)
    # a name of several communes: the home one in a home roster; in a roster of a province with four, none of them
    assert _commune("Xã Hòa Bình", None, home)[0] == "07045"
    assert _commune("Xã Hòa Bình", None, "20")[0] is None  # Lạng Sơn: four; not Hạ Long's


def test_a_district_columns_cell_names_its_district():
    """A roster's "Huyện" column: a name with or without its kind, the home province's first; a name of several
    districts of the country is none of them unless the province is known."""
    assert units.district_in_cell("Móng Cái") == "194"
    assert units.district_in_cell("TP Uông Bí") == "196"
    assert units.district_in_cell("H. Ba Chẽ") == "202"
    assert units.district_in_cell("Châu Thành") is None  # ten districts of the country
    assert units.district_in_cell("Huyện Châu Thành", vocab.district_province()["821"]) == "821"
    assert units.district_in_cell("") is None
