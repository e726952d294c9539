"""From a sheet's cells to one record per person, as the sheet lays them out.

Where the header is (one to four rows, groups merged over their leaves) and what each column means; which
kind of file it is (by score); the rows that are not people (a commune heading that gives the commune of the
rows under it, section headings, the signature block); and the columns people compose: a birth date under
"Nam" | "Nữ" (which also gives the sex), a name split into "Họ" | "Tên", one column per level ticked with
"x", posts in two columns. Records hold the cells as read (legacy-encoded text stays so); values are read
later (:mod:`ingest.rows`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from ingest import values
from ingest import vocabulary as vocab
from ingest.errors import FileRejected
from ingest.text import accent_blind, fold, fold_expr, normalise, unaccented_too

SCAN_ROWS = 120  # the header is within the first rows of a sheet (a report may run to a page or two above its list)
MAX_HEADER_ROWS = 4
# Columns without which a file of that kind cannot be loaded (each tuple: one of them).
REQUIRED = {
    "hr": (("full_name",), ("dob", "citizen_id"), ("title",)),
    # a plan without a category column: the category its classes' names say; without codes, a code made of each
    # class's name and first day (kinds.classes)
    "classes": (("class_name",), ("start_date", "period"), ("end_date", "period")),
    # a roster without birth dates still says who attended: matched by ID, else kept unmatched and counted
    "roster": (("full_name",), ("dob", "citizen_id", "commune")),
    # a survey's forms may be anonymous ("phiếu không ghi tên"): its answers count, matched to no one
    "survey": (("improvement",), ("necessity",)),
}
# Columns only that kind of file has: the evidence that decides between kinds a file could be.
DISTINCT = {
    "hr": {"prof_level", "prof_field", "llct", "qlnn", "it", "lang", "party_date", "appointment_date"},
    "roster": {"class_code", "result", "score", "grade"},
    "classes": {
        "class_name",
        "category",
        "organiser_level",
        "topics",
        "start_date",
        "end_date",
        "period",
        "participants",
    },
    "survey": {"submitted_at", "trainings_2016_2020", "improvement", "necessity"},
}
JOINED = ("title", *vocab.LEVELS)  # several columns of these are read together ("Chức vụ Đảng" + "Chức vụ CQ")
WITH_PARTS = {"with_dob": "dob", "with_title": "title"}  # a name's column that gives another after the name
PAIRED = "then:"  # a qualification's column that gives a second one after it ("LLCT - QLNN": "Cao cấp - CVC")
NAME_PARTS = ("name_family", "name_middle", "name_given")  # a name in columns of its parts ("Họ" | "Chữ đệm" | "Tên")
_TOPIC = re.compile(r"^cd\s+([a-z]{1,2}\d)$")  # "CĐ C1", "CĐ BT3": attendance per programme topic
# "CĐ 1", "Chuyên đề 5", "CĐ số 8": the n-th topic of the programme a roster's class follows (4 common, then 4 of
# the group): which topic it is depends on the person's post (ingest.kinds)
_TOPIC_NO = re.compile(r"^(?:cd|chuyen de)\s*(?:so\s*)?([1-8])$")
_DATA = re.compile(r"^\(?\d{1,3}\)?$|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{5,}")
_ROMAN = re.compile(r"^(?:[IVXLC]+|[A-Ea-e])[.)]?$")
_TOTAL = re.compile(vocab.TOTAL)


@dataclass
class Header:
    kind: str
    row: int  # 0-based index of the first header row in the grid
    rows: int  # how many rows the header takes
    columns: dict[int, tuple[str, str | None]]  # grid column -> (canonical name, part: None or how it composes)
    labels: dict[int, str] = field(default_factory=dict)  # grid column -> its leaf header as read (x-mark levels)
    implied: set[str] = field(default_factory=set)  # columns a record has without a column (commune headings)
    extras: dict[int, str] = field(default_factory=dict)  # grid column -> header text kept as the extra's key
    found: dict[str, str] = field(default_factory=dict)  # canonical name -> header text as written
    commune_from: str | None = None  # the column whose cells name the commune when none does ("title")
    title_from: str | None = None  # ... and the post when none does: a roster's unit ("Chủ tịch UBND xã Quảng Lâm")
    legends: dict[str, str] = field(default_factory=dict)  # a question -> the line above the table explaining its codes
    unnamed: set[int] = field(default_factory=set)  # extras without a header ("Cột B")

    @property
    def data_start(self) -> int:
        return self.row + self.rows

    @property
    def names(self) -> list[str]:
        """The canonical columns a record of this sheet has."""
        out = set()
        for name, part in self.columns.values():
            if name in NAME_PARTS:
                out.add("full_name")
            elif name == "dob" and part in ("male", "female"):
                out |= {"dob", "sex"}
            elif name == "full_name" and part in WITH_PARTS:
                out |= {"full_name", WITH_PARTS[part]}
            elif part and part.startswith(PAIRED):
                out |= {name, part.removeprefix(PAIRED)}
            elif name == "sex":
                out.add("sex")
            else:
                out.add(name)
        return sorted(out | self.implied)

    def sources(self, name: str) -> list[tuple[int, str | None]]:
        return [(i, part) for i, (n, part) in sorted(self.columns.items()) if n == name]


def _names_in(cells: list[str | None], kind: str) -> dict[int, str]:
    out = {}
    for i, cell in enumerate(cells):
        name = _name_of(cell, kind)
        if name and name != vocab.IGNORED:
            out[i] = name
    return out


@lru_cache(maxsize=65536)
def _names_of(cell: str) -> tuple[str | None, ...]:
    """What a cell names for each of ``vocab.KINDS``, looked up once (a sheet's first rows are scanned for every
    kind)."""
    return tuple(_name_of(cell, k) for k in vocab.KINDS)


def _name_of(cell: str | None, kind: str) -> str | None:
    if kind == "roster" and (m := _TOPIC.match(fold(cell))):
        return f"topic_{m[1].upper()}"
    if kind == "roster" and (m := _TOPIC_NO.match(fold(cell))):
        return f"topic_no{m[1]}"
    name = vocab.header_name(cell, kind)
    if name in DISTINCT.get(kind, ()) and kind in ("roster", "classes") and vocab.asks(cell):
        return None  # a survey's question about the classes taken is no class column, nor a result
    return name


def _is_label(cell: str | None) -> bool:
    """A header-like cell: it names a column, a part of one, or a level (a leaf of a one-column-per-level block)."""
    if not cell:
        return False
    if any(_name_of(cell, k) for k in vocab.KINDS) or vocab.header_part(cell):
        return True
    return any(vocab.read_level(dim, cell).code for dim in vocab.LEVELS)


def _looks_like_data(cell: str | None) -> bool:
    return bool(cell) and bool(_DATA.search(cell))


def _block(grid: list[list[str | None]], anchor: int) -> tuple[int, int]:
    """(first row, number of rows) of the header around the row that names the most columns."""
    top = anchor
    while top > 0 and anchor - top < MAX_HEADER_ROWS - 1:  # a row of group names above the leaves
        above = [c for c in grid[top - 1] if c]
        if not above or any(_looks_like_data(c) for c in above):
            break
        if not any(_is_label(c) for c in above) or len(above) < 2:
            break
        top -= 1
    end = anchor + 1
    while end < len(grid) and end - top < MAX_HEADER_ROWS:
        cells = [c for c in grid[end] if c]
        if not cells:  # an empty row inside merged header cells, if leaves follow it
            if end + 1 < len(grid) and _continues(grid[end + 1]) and end + 1 - top < MAX_HEADER_ROWS:
                end += 1
                continue
            break
        if not _continues(grid[end]) and not _unmerged_leaves(grid[top:end], grid[end]):
            break
        end += 1
    return top, end - top


def _unmerged_leaves(block: list[list[str | None]], row: list[str | None]) -> bool:
    """A row of a group's leaves whose merge was lost (a CSV of a merged header, a clerk who never merged): under
    a label whose cells to its right are blank ("Điểm các môn" | | ), the leaves' words ("Môn 1" | "Môn 2" | "Môn
    3"), each run of them starting under its label and running only under the blanks after it, nothing else."""
    labelled = {c for r in block for c, text in enumerate(r) if text}
    filled = [c for c, text in enumerate(row) if text]
    if len(filled) < 2 or not all(re.search(r"[^\W\d_]", row[c]) for c in filled):
        return False
    runs: list[list[int]] = []
    for c in filled:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return all(len(run) >= 2 and run[0] in labelled and not labelled & set(run[1:]) for run in runs)


def _continues(row: list[str | None]) -> bool:
    cells = [c for c in row if c]
    if _heading(cells):
        return False
    return bool(cells) and not any(_looks_like_data(c) for c in cells) and any(_is_label(c) for c in cells)


def _heading(cells: list[str]) -> bool:
    """A section heading right under the header ("I | Ủy ban nhân dân phường Mạo Khê", "A. CÁN BỘ", "Văn phòng
    HĐND và UBND", a roster's "I. HUYỆN TIÊN YÊN"): a row of people's groups, not leaves of the header, however
    much it sounds like one."""
    texts = [c for c in cells if not _ROMAN.match(c.strip())]
    if len(cells) > 2 or len(texts) != 1:
        return False
    text = re.sub(r"^\s*(?:[IVXLC]+|[A-Ea-e])\s*[.)\-:]\s*", "", texts[0])
    kind, _ = vocab.split_unit(text)
    return (
        len(texts) < len(cells)
        or vocab.is_section(text)
        or vocab.names_organisation(text)
        or kind in ("xa", "phuong", "thi tran", "dac khu", "huyen", "thi xa", "thanh pho")  # "I. HUYỆN TIÊN YÊN"
    )


def _paths(block: list[list[str | None]], width: int) -> list[list[str]]:
    """Each column's header texts from top to bottom, a group's text carried over the leaves it spans
    (merged cells are read as their first cell only)."""
    paths = []
    for c in range(width):
        path = []
        for b, row in enumerate(block):
            text = row[c] if c < len(row) else None
            below = any(c < len(r) and r[c] for r in block[b + 1 :])
            if not text and below:
                k = c - 1
                while k >= 0 and not (k < len(row) and row[k]):
                    k -= 1
                if k >= 0 and any(k < len(r) and r[k] for r in block[b + 1 :]):
                    text = row[k]  # a group spanning this column
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths


_PERIOD_LEAF = re.compile(r"^(?:t|thang|quy) ?(?:\d{1,2}|[ivx]{1,4})$")  # "T3", "Tháng 3", "Quý III" (folded)
_INSTRUCTION = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*")  # a leaf wholly in brackets
_DATE_PIECES = {"ngày": "day", "ngay": "day", "tháng": "month", "thang": "month", "năm": "year"}
_BIRTH_PIECES = {"ngay sinh": "day", "thang sinh": "month", "nam sinh": "year"}  # folded
# the birth date of one sex in a label of its own, unmerged: "Ngày sinh (Nam)", "Năm sinh Nữ", "Nữ (năm sinh)",
# "NS Nữ"
# (lower case, as typed: "nam" is the men's column only after the date's words or in brackets, never "năm")
_SEXED = re.compile(
    r"(?P<date>.+?)\s*(?:\(\s*(?P<a>nam|nữ|nu)\s*\)|[\s:–-]+(?P<b>nam|nữ|nu))|(?P<c>nam|nữ)\s*\((?P<d>.+)\)"
)
_SEXES = {"nam": "male", "nữ": "female", "nu": "female"}


def _one_sex(label: str | None) -> str | None:
    """The one sex a sex column's header names after "Giới tính" ("Giới tính nam (nếu có thì ghi X)", "Giới tính
    (Nữ ghi X)"); None where it names none or both ("Giới tính (nam, nữ)", "(Nam: 1, Nữ: 0)")."""
    _, said, after = fold(label).partition("gioi tinh")
    sexes = set(re.findall(r"\b(nam|nu)\b", after)) if said else set()
    return _SEXES[sexes.pop()] if len(sexes) == 1 else None


def _paired_levels(leaf: str) -> tuple[str, str] | None:
    """The two qualifications a header names, each by a whole header of its own, joined by a dash, a slash, a comma
    or "và" ("LLCT - QLNN", "Tin học, ngoại ngữ"), in their order."""
    parts = re.split(r"\s*(?:\s[-–]\s|[/,&+;]|\bvà\b)\s*", leaf.strip())
    names = [vocab.header_name(p, "hr") for p in parts if p.strip()]
    if len(names) == 2 and len(set(names)) == 2 and all(n in vocab.LEVELS and n != "prof_level" for n in names):
        return names[0], names[1]
    return None


def _role(path: list[str], kind: str) -> tuple[str, str | None] | None:
    """(canonical name, part) of a column from its header path, None for an extra."""
    if not path:
        return None
    if len(path) > 1 and _INSTRUCTION.fullmatch(path[-1]) and not vocab.header_part(path[-1]):
        path = path[:-1]  # "(ghi rõ chuyên ngành)" under "Trình độ chuyên môn": how to fill it in, not a column
    leaf = path[-1]
    own = _name_of(leaf, kind)
    part = vocab.header_part(leaf)
    parents = [_name_of(p, kind) for p in path[:-1]]
    parent = next((p for p in reversed(parents) if p and p != vocab.IGNORED), None)
    if parent == "dob" and (piece := _DATE_PIECES.get(leaf.strip().lower()) or _DATE_PIECES.get(fold(leaf))):
        return "dob", piece  # "Ngày | Tháng | Năm" under the birth date ("năm" is not "nam")
    if parent == "dob" and part in ("male", "female"):
        return "dob", part
    if parent == "sex" and part in ("male", "female"):
        return "sex", part  # "Giới tính" over "Nam" | "Nữ", each ticked for the people it applies to
    # a level's own column under its qualification ("CV" under "QLNN" is the Chuyên viên leaf, not a post column)
    if parent in vocab.LEVELS and own in (None, "title") and vocab.read_level(parent, leaf).code:
        return parent, "mark"
    if kind == "classes" and _PERIOD_LEAF.match(fold(leaf)) and (parent in ("period", None) or len(path) == 1):
        return "period", "mark"  # a plan's months or quarters, a column each, ticked for when a class is held
    if parent in QUESTIONS and (_answers(parent, leaf) or _option(path, kind)):
        return parent, "mark"  # a paper form: one column per option ("Rất tích cực", or "a" its legend explains)
    if (
        parent is None
        and len(path) > 1
        and (options_of := [q for q, labels in vocab.answers().items() if fold(leaf) in labels])
    ):
        return options_of[0], "mark"  # "Câu 2" over "Rất tích cực" | "Tích cực" | ...: the options say the question
    if parent == "party_date" and part == "probation":
        return "party_date", None
    if parent == "citizen_id" and part == "number":
        return "citizen_id", None
    if stacked := _stacked(path, kind):
        return None if stacked[1] == vocab.IGNORED else (stacked[1], None)
    if kind == "hr" and (pair := _paired_levels(leaf)):
        return pair[0], PAIRED + pair[1]  # "LLCT - QLNN", "Tin học, Ngoại ngữ": two qualifications, one cell
    if own == "name_dob":
        return "full_name", "with_dob"  # "Họ và tên, năm sinh": the name, its birth date after it
    if own == "name_title":
        return "full_name", "with_title"  # "Họ và tên, chức vụ": the name, its post after it
    if own == "sex" and (one := _one_sex(leaf)):
        return "sex", one  # "Giới tính nam (nếu có thì ghi X)": ticked for the one sex it names
    sexed = _SEXED.fullmatch(leaf.strip().lower())
    if own in ("dob", None) and sexed and _name_of(sexed.group("date") or sexed.group("d"), kind) == "dob":
        return "dob", _SEXES[sexed.group("a") or sexed.group("b") or sexed.group("c")]
    if own == vocab.IGNORED:
        return None
    if own:
        return own, None
    if len(path) == 1 and part in ("male", "female"):
        return "sex", part  # a lone "Nữ" (or "Nam") column ticked for the people it applies to
    return None


# a survey's questions whose answers a form may list as options: the scales' and how many trainings
QUESTIONS = ("improvement", "necessity", "trainings_2016_2020")
# how many trainings, as an option says it ("Chưa tham gia", "1 lần", "2 lớp", "Trên 3 lần", "3 lần trở lên"), folded
_COUNT = re.compile(
    r"^(?:(?:tren|duoi|tu|hon) )?\d{1,2}(?: (?:lan|lop|khoa))?(?: (?:tro len|tro xuong))?$|^(?:khong|chua) "
)


def _answers(question: str, label: str) -> bool:
    """Whether an option's label answers a survey question (a label of its scale, or a number of trainings)."""
    if question == "trainings_2016_2020":
        return bool(_COUNT.match(fold(label)))
    return fold(label) in vocab.answers()[question] or vocab.read_answer(question, label) is not None


def _option(path: list[str], kind: str) -> str | None:
    """The option a leaf stands for under a survey question whose header explains its options by code ("a" under
    "Câu 2: ... [a) Rất tích cực; b) ...]"): the option's label, or None."""
    for text in reversed(path[:-1]):
        if (question := _name_of(text, kind)) in QUESTIONS:
            return _answer_legend(text, question).get(fold(path[-1]))
    return None


def _stacked(path: list[str], kind: str) -> tuple[str, str] | None:
    """(label, name) of a label typed over two rows of one column, no merge ("Họ và" over "tên", "Chức" over "vụ",
    "Đơn vị" over "công tác", "Ghi" over "chú"): the two read as one, where the upper alone is no header or the
    lower is none, and the two together name a column."""
    if len(path) < 2:
        return None
    own = _name_of(path[-1], kind)
    if own is not None and _name_of(path[-2], kind) is not None:
        return None
    label = f"{path[-2]} {path[-1]}"
    joined = _name_of(label, kind)
    return (label, joined) if joined and joined != own else None


def _provided(columns: dict[int, tuple[str, str | None]]) -> set[str]:
    """The canonical names a header's columns give (a name with its birth date or post gives both)."""
    return (
        {n for n, _ in columns.values()}
        | {WITH_PARTS[p] for n, p in columns.values() if n == "full_name" and p in WITH_PARTS}
        | {p.removeprefix(PAIRED) for _, p in columns.values() if p and p.startswith(PAIRED)}
    )


def _lacks(names: set[str], kind: str) -> list[str]:
    if names & set(NAME_PARTS):
        names = names | {"full_name"}
    return [" or ".join(alts) for alts in REQUIRED[kind] if not names & set(alts)]


def _columns(paths: list[list[str]], kind: str) -> dict[int, tuple[str, str | None]]:
    out: dict[int, tuple[str, str | None]] = {}
    seen: set[str] = set()
    roles = [_role(path, kind) for path in paths]
    leaves = [fold(path[-1]) if path else "" for path in paths]
    if "thang sinh" in leaves:  # "Ngày sinh" | "Tháng sinh" | "Năm sinh", each in full: the pieces of one date
        roles = [
            ("dob", _BIRTH_PIECES[leaf]) if leaf in _BIRTH_PIECES else r for r, leaf in zip(roles, leaves, strict=True)
        ]
    if "nam sinh" in leaves and "ngay thang sinh" in leaves:  # "Ngày, tháng sinh" | "Năm sinh": one date in two
        roles = [
            ("dob", "day_month") if leaf == "ngay thang sinh" else ("dob", "year") if leaf == "nam sinh" else r
            for r, leaf in zip(roles, leaves, strict=True)
        ]
    pieces = {r[1] for r in roles if r and r[0] == "dob"}
    if pieces & {"day", "month"} and "female" not in pieces:  # "Ngay | Thang | Nam" typed without diacritics:
        roles = [("dob", "year") if r == ("dob", "male") else r for r in roles]  # the year, not the men's column
    # a class's code before its name, wherever each stands ("Tên lớp" | "Mã lớp": the code is the class)
    coded = [
        i for i, role in enumerate(roles) if role == ("class_code", None) and _CODE_HEADER.match(fold(paths[i][-1]))
    ]
    # a plan's size of each class ("Số học viên/lớp") yields to its row's total ("Tổng số học viên"), wherever each is
    each = [i for i, role in enumerate(roles) if role == ("participants", None) and _EACH_CLASS.search(leaves[i])]
    # a roster's final or average mark ("Điểm TB", "Điểm tổng kết") before each subject's ("Điểm các môn" | "Môn 1")
    final = [
        i
        for i, role in enumerate(roles)
        if role == ("score", None) and _FINAL_SCORE.search(" ".join(map(fold, paths[i])))
    ]
    rest = [i for i in range(len(paths)) if i not in coded and i not in each and i not in final]
    for i in [*coded, *final, *rest, *each]:
        if roles[i] is None:
            continue
        name, part = roles[i]
        if name == "class_code" and name in seen and kind == "roster" and "class_name" not in seen:
            name = "class_name"  # "Mã lớp" | "Tên lớp": the code is the class, the other its name
            roles[i] = (name, part)
        if name in seen and part is None and name not in JOINED:
            continue  # a second column of the same meaning is kept as an extra
        seen.add(name)
        out[i] = roles[i]
    return dict(sorted(out.items()))


_CODE_HEADER = re.compile(r"^(?:ma|ky hieu|so hieu)\b")  # "Mã lớp", "Ký hiệu lớp" (folded)
_FINAL_SCORE = re.compile(r"\b(?:tb|tbc|dtb|dtbc|tbm|trung binh|tong ket|tk|cuoi khoa|chung|tong hop|toan khoa)\b")
_EACH_CLASS = re.compile(r"\b(?:moi |1 |mot )?lop$")  # "Số học viên/lớp", "Số HV mỗi lớp" (folded)


QUIET_ROWS = 12  # rows naming few columns under a header that has every column its kind needs: its data


def _complete(named_in: dict[int, list[tuple]], anchor: int, at: list[int]) -> bool:
    """Whether the rows around ``anchor`` (as many as a header spans) name every column one of the kinds
    (positions ``at`` in ``vocab.KINDS``) needs: a list's header, not a summary table's above one."""
    around = [n for r in range(anchor - MAX_HEADER_ROWS + 1, anchor + MAX_HEADER_ROWS) for n in named_in.get(r, ())]
    return any(not _lacks({n[i] for n in around} - {None, vocab.IGNORED}, vocab.KINDS[i]) for i in at)


def find_header(
    grid: list[list[str | None]], raw: list[list[str | None]], kind: str | None = None, file_words: str = ""
) -> Header:
    """The header of a sheet and the kind of file it heads (``grid``: normalised cells of the first rows,
    ``raw``: the same cells as read, ``file_words``: the file's name as words, which decides between two kinds the
    header fits alike). Raises ``FileRejected`` naming, for each kind the sheet could be, what it lacks."""
    grid = _asked(grid)
    kinds = (kind,) if kind else vocab.KINDS
    at = [vocab.KINDS.index(k) for k in kinds]
    best, anchor, quiet = 0, None, 0
    named_in: dict[int, list[tuple]] = {}
    for r in range(min(SCAN_ROWS, len(grid))):
        named = named_in[r] = [n for n in map(_names_of, filter(None, grid[r])) if any(n)]  # most rows: data
        count = max((len({n[i] for n in named} - {None, vocab.IGNORED}) for i in at), default=0) if named else 0
        if count > best:
            best, anchor, quiet = count, r, 0
        elif anchor is not None and count <= best // 2:  # a data row may name a column or two ("Hoàn thành")
            quiet += 1
            if quiet == QUIET_ROWS and _complete(named_in, anchor, at):
                break  # the table's data: no better header is further down (a next table is looked for below it)
    if anchor is None or best < 2:
        raise FileRejected("no_header", "no header row found: no row names at least two known columns")
    top, rows = _block(grid, anchor)
    block = grid[top : top + rows]
    width = max(len(r) for r in block)
    paths = _paths(block, width)
    above = [" ".join(c for c in row if c) for row in grid[:top]]
    chosen = kind or _decide_kind(paths, above, file_words)
    columns = _columns(paths, chosen)
    names = _provided(columns)
    if lacks := _lacks(names | ({"title", "commune"} if "title_unit" in names else set()), chosen):
        raise _missing(chosen, lacks, names, paths)
    _split_name(columns, paths, grid[top + rows :])
    both = next((i for i, (n, _) in columns.items() if n == "title_unit"), None)
    if both is not None:  # "Chức vụ, đơn vị công tác": the post, with the commune named inside it
        columns[both] = ("title", None) if "title" not in names else ("commune", None)
        names = _provided(columns)
    header = Header(chosen, top, rows, columns)
    # a question's codes explained above the table ("Thang điểm: 1 - Không cần thiết; ...; 4 - Rất cần thiết")
    for name in {n for n, _ in columns.values()} & set(QUESTIONS):
        if explained := [line for line in above if _answer_legend(line, name)]:
            header.legends[name] = explained[-1]
    if both is not None and "commune" not in names:
        header.commune_from = "title"
        header.implied.add("commune")
    raw_block = raw[top : top + rows]
    raw_paths = _paths(raw_block, width)
    taken: Counter = Counter()
    for i, path in enumerate(paths):
        if i in columns:
            name, part = columns[i]
            if path:  # the given name's column under a name merged over two has none
                header.found.setdefault("full_name" if name == "name_family" else name, path[-1])
                header.found.setdefault(name, path[-1])
            if part == "mark":
                header.labels[i] = _option(path, chosen) or (raw_paths[i][-1] if raw_paths[i] else path[-1])
            continue
        stacked = _stacked(path, chosen)
        label = stacked[0] if stacked else " / ".join(path) if path else f"Cột {_letters(i)}"
        taken[label] += 1
        header.extras[i] = label if taken[label] == 1 else f"{label} ({taken[label]})"
        if not path:
            header.unnamed.add(i)
    return header


# -- a form's questions headed by number only ----------------------------------------------------------------
# "Câu 2: Mức độ cải thiện ...": a question spelled out in a legend above or below the table whose column is
# headed "Câu 2"; its options on the line ("a) Rất tích cực; b) ...") or on the lines after it
_LEGEND = re.compile(r"(?i)(?:^|(?<=[\s;.:]))c[aâ]u(?:\s*h[oỏ]i)?(?:\s*s[oố])?\s*(\d{1,2})\s*[.:)\-–]\s*")
_QUESTION_NO = re.compile(r"^cau(?: hoi)?(?: so)? ?(\d{1,2})$")  # a header cell, folded
_MAYBE_QUESTION = re.compile(r"\s*c", re.IGNORECASE)  # ... which begins with a "C"
_OPTION = re.compile(r"(?:^|(?<=[\s;,:?]))\(?([a-eA-E]|[1-9])\s*[).]\s+(?=\w)")  # "a) ", "(b) ", "3. "


def _after(text: str, marks: list[re.Match]) -> list[tuple[re.Match, str]]:
    """Each of ``marks`` in ``text`` with the text after it, up to the next."""
    ends = [m.start() for m in marks[1:]] + [len(text)] if marks else []
    return [(m, text[m.end() : end].strip(" ;,.")) for m, end in zip(marks, ends, strict=True)]


def _spelled(text: str) -> bool:
    """Words, not a number or a letter: a question's text."""
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 2


def _questions(grid: list[list[str | None]]) -> dict[str, str]:
    """Question number -> the question's text, its options after it in square brackets ("Mức độ cải thiện?
    [a) Rất tích cực; b) Tích cực]"), as a legend in the rows of a sheet spells them."""
    found: dict[str, list[str]] = {}
    last = None  # the question whose options a row of options alone continues
    for row in grid:
        cells = [c for c in row if c]
        if not cells:
            continue
        if not _LEGEND.search(cells[0]) and last and _OPTION.match(cells[0]):
            found[last].append(" ".join(cells))
            continue
        last = None
        for cell in cells:
            marks = list(_LEGEND.finditer(cell))
            if not marks and last:
                found[last].append(cell)  # options in the cells beside the question's
            for m, text in _after(cell, marks):
                if _spelled(text):
                    last = m[1].lstrip("0")
                    found.setdefault(last, [text])
    out = {}
    for no, parts in found.items():
        text = " ".join(parts)
        if len(options := list(_OPTION.finditer(text))) >= 2:
            listed = "; ".join(f"{m[1].lower()}) {option}" for m, option in _after(text, options))
            text = f"{text[: options[0].start()].strip()} [{listed}]"
        out[no] = text
    return out


def _legend_line(text: str) -> bool:
    """A line of a form's legend: a question spelled out ("Câu 2. Mức độ cải thiện ...?") or its options
    ("a) Rất tích cực  b) Tích cực")."""
    if m := _LEGEND.match(text):
        return _spelled(text[m.end() :])
    return bool(_OPTION.match(text)) and len(_OPTION.findall(text)) >= 2


def _asked(grid: list[list[str | None]]) -> list[list[str | None]]:
    """The grid with a header cell naming a question by number only ("Câu 2") completed by the question as the
    sheet's legend spells it ("Câu 2: Mức độ cải thiện ... [a) Rất tích cực; ...]"); the grid itself when none
    is."""
    if not any(
        c and len(c) < 16 and _MAYBE_QUESTION.match(c) and _QUESTION_NO.match(fold(c)) for row in grid for c in row
    ):
        return grid  # (most sheets: no cell is a question's number, told without folding each)
    questions = _questions(grid)
    if not questions:
        return grid

    def complete(cell: str | None) -> str | None:
        m = _QUESTION_NO.match(fold(cell)) if cell else None
        return f"{cell}: {questions[m[1].lstrip('0')]}" if m and m[1].lstrip("0") in questions else cell

    return [[complete(c) for c in row] for row in grid]


# -- a personal record: one person per sheet, "label: value" lines ------------------------------------------
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[).\-–:]+\s*", re.IGNORECASE)
_PAIR = re.compile(r"(?:^|[,;]\s+)(?:\d{1,2}(?:\.\d{1,2})*\s*[).\-–]+\s*)?((?:[^:,;()]|\([^)]*\))+?)\s*:\s*")


def _pairs(text: str) -> list[tuple[str, str]]:
    """The "label: value" pairs of a line ("3) Sinh ngày: 12 tháng 5 năm 1974, Giới tính (nam, nữ): Nam")."""
    text = _NUMBERED.sub("", text)  # "1) Họ và tên", "15.1- Trình độ"
    found = list(_PAIR.finditer(text))
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        label = _NUMBERED.sub("", m[1]).strip()
        if label:
            out.append((label, text[m.end() : end].strip(" ,;.…_") or None))  # dotted leaders of a form
    return out


def form_table(rows: list[list[str | None]]) -> list[list[str | None]] | None:
    """A sheet that is one person's record (sơ yếu lý lịch, Mẫu 2C; a workbook of one sheet per person), or several
    one under the other, as a table of a row each, each where the person's name stands in the sheet (if the lines
    holding no pair, the title rows above it, leave room). ``None`` when the sheet names no person, birth date or
    ID, and post."""
    lines, first = [], None
    for r, row in enumerate(rows):
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if not cells:
            continue
        text = " ".join(cells)
        if len(cells) >= 2 and ":" not in cells[0]:  # the label in one cell, the value beside it
            text = f"{cells[0]}: {' '.join(cells[1:])}"
        pairs = _pairs(text)
        named = [_name_of(label, "hr") for label, _ in pairs]
        if first is None and "full_name" in named:
            first = r
        lines.append((r, text, pairs if any(named) else []))  # a line of no known label is a title line
    # one record per name: a sheet of several people's records one under the other starts one at each name's line
    records: list[tuple[int, dict[str, str | None]]] = []
    for r, _, pairs in lines:
        for label, value in pairs:
            is_name = _name_of(label, "hr") == "full_name"
            if not records or (is_name and any(_name_of(k, "hr") == "full_name" for k in records[-1][1])):
                records.append((r, {}))
            if is_name:
                records[-1] = (r, records[-1][1])
            records[-1][1].setdefault(label, value)
    fields: dict[str, str | None] = {}
    for _, record in records:
        for label, value in record.items():
            fields.setdefault(label, value)
    named = {label: _name_of(label, "hr") for label, value in fields.items() if value}  # a blank template: none
    names = set(named.values())
    if first is None or not {"full_name", "title"} <= names or not _born_or_known(fields, named):
        return None
    titles = [[text] for _, text, pairs in lines if not pairs]
    at = max(first, len(titles) + 1)  # the value row at the name's line where the title rows leave room
    grid: list[list[str | None]] = [*titles, *([[None]] * (at - 1 - len(titles))), ["STT", *fields]]
    for k, (r, record) in enumerate(records if len(records) > 1 else [(at, fields)]):
        grid += [[None]] * (r - len(grid))  # each record at its name's line
        grid.append([str(k + 1), *(record.get(label) for label in fields)])  # numbered: data, not a header
    return grid


def _born_or_known(fields: dict[str, str | None], named: dict[str, str | None]) -> bool:
    """Whether a record's birth date reads as a date or its ID as an ID: a sheet of instructions for filling in
    the list ("2. Ngày sinh: ghi theo định dạng dd/mm/yyyy") has the labels of a record, not its values."""
    return any(
        (role == "dob" and values.parse_date(fields[label], "dob")[0] is not None)
        or (role == "citizen_id" and values.parse_citizen_id(fields[label])[0] is not None)
        for label, role in named.items()
    )


def header_rows_below(rows: pl.DataFrame, kind: str, legacy: str | None) -> list[int]:
    """Grid rows (0-based) among a table's rows that read as a header of ``kind``: a name column and two
    more, no cell starting with a digit. A few rows are read; a person's row always has a digit."""
    cells = [c for c in rows.columns if c.startswith("column_")]
    if not cells:
        return []
    texts = [pl.col(c).cast(pl.Utf8) for c in cells]
    digitless = pl.all_horizontal(t.is_null() | ~t.str.contains(r"^\s*\d") for t in texts)
    filled = pl.sum_horizontal(t.is_not_null().cast(pl.Int32) for t in texts) >= 3
    found = []
    for row in rows.filter(digitless & filled).iter_rows(named=True):
        names = set(_names_in([normalise(row[c], legacy) for c in cells], kind).values())
        if "full_name" in names and len(names) >= 3:
            found.append(row["source_row"] - 1)
    return found


def _split_name(columns: dict, paths: list[list[str]], data: list[list[str | None]]) -> None:
    """ "Họ và tên" merged over two columns without leaves (or a CSV of it): the column after the name's has no
    header, and its cells are one word each ("Nguyễn Văn" | "An"). The two are the family and given names."""
    at = next((i for i, (n, p) in columns.items() if n == "full_name" and p is None), None)
    if at is None or at + 1 in columns or (at + 1 < len(paths) and paths[at + 1]):
        return
    rows = [r for r in data[:30] if at + 1 < len(r) and r[at] and not _looks_like_data(r[at])]
    given = [re.sub(r"\s*\([^)]*\)", "", r[at + 1]) for r in rows if r[at + 1]]  # "Sinh (Bí thư)"
    one_word = [g for g in given if len(g.split()) == 1 and not any(ch.isdigit() for ch in g)]
    distinct = {fold(g) for g in given}  # given names vary; a header-less column of "Nam"/"Nữ" or ticks does not
    varied = len(distinct) > min(2, len(given) - 1) and not distinct <= {"nam", "nu", "x"}
    if given and len(one_word) == len(given) and 2 * len(given) > len(rows) and varied:
        columns[at], columns[at + 1] = ("name_family", None), ("name_given", None)


_COUNTS = re.compile(r"^(?:so phieu|so luong|tong so|ty le|so nguoi)\b")  # "Số phiếu", "Tỷ lệ (%)" (folded)


def _missing(kind: str, lacks: list[str], names: set[str], paths: list[list[str]]) -> FileRejected:
    """The refusal of a header that lacks a kind's required columns, naming them and what it has; a list that
    gives ages ("Tuổi") instead of birth dates is told so."""
    found = ", ".join(sorted(names) or ["none"])
    ages = [p[-1] for p in paths if p and fold(p[-1]) in ("tuoi", "do tuoi", "tuoi doi")]
    hint = f" (the list gives ages, {ages[0]!r}: a birth date or an ID tells who a person is)" if ages else ""
    counts = [p[-1] for p in paths if p and _COUNTS.match(fold(p[-1]))]
    if counts and not names & {"full_name", "citizen_id"}:
        hint = (
            f" (a tally of counts, {counts[0]!r}, not one row per person or per form: send the list itself, or the "
            "forms as typed in)"
        )
    return FileRejected(
        "missing_columns", f"{kind} file lacks required column(s) {', '.join(lacks)}; found {found}{hint}"
    )


def _decide_kind(paths: list[list[str]], titles: list[str], file_words: str = "") -> str:
    """The kind of file a header heads: the one whose own columns and title words it shows most (a file
    of that kind that lacks a required column is refused naming it); with no such evidence, the one kind
    whose required columns it has. Two kinds that fit equally are told apart by the words of the file's
    name (``DS_CBCC_HaiHa.csv`` names cadres, ``ds_hoc_vien.csv`` students), else never guessed between."""
    hints = vocab.kind_hints(titles)
    seen = {}
    for k in vocab.KINDS:
        names = _provided(_columns(paths, k))
        seen[k] = (names, _lacks(names, k), len(names & DISTINCT[k]) + hints.get(k, 0))
    fits = {k: (evidence, len(names)) for k, (names, lacks, evidence) in seen.items() if not lacks}
    strongest = max(seen, key=lambda k: (seen[k][2], k in fits))
    top = seen[strongest][2]
    if top > 0 and strongest not in fits and all(e < top for e, _ in fits.values()):
        if len(rivals := [k for k in seen if seen[k][2] == top]) == 1:
            names, lacks, _ = seen[strongest]
            raise _missing(strongest, lacks, names, paths)
        seen = {k: seen[k] for k in rivals}  # as much evidence of two kinds (a survey's "Completion time", a
        fits = {}  # plan's "thời gian"): neither is named alone
    if not fits:
        detail = "; ".join(f"{k} file lacks {', '.join(v[1])}" for k, v in seen.items() if v[0] - {"stt"})
        posts = [p[-1] for p in paths if p and vocab.read_title(p[-1]).code]
        hint = (
            f" (a column per post, {', '.join(repr(p) for p in posts[:3])}: a list is read with one row per person, "
            "the post in a column of its own)"
            if len(posts) >= 2
            else ""
        )
        raise FileRejected("missing_columns", f"the header fits no kind of file: {detail or 'no known columns'}{hint}")
    ranked = sorted(fits.items(), key=lambda kv: kv[1], reverse=True)
    if len(ranked) > 1 and ranked[0][1][0] == ranked[1][1][0]:
        a, b = ranked[0][0], ranked[1][0]
        said = vocab.kind_hints([file_words])
        if said[a] != said[b]:
            return max((a, b), key=said.get)
        raise FileRejected(
            "ambiguous_kind",
            f"the header could be a {a} file or a {b} file: a {a} file would show one of "
            f"{', '.join(sorted(DISTINCT[a]))}; a {b} file one of {', '.join(sorted(DISTINCT[b]))}",
        )
    return ranked[0][0]


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


# -- rows that are not people -------------------------------------------------------------------------------
@dataclass
class Layout:
    """What the rows under a header are, before any value is read."""

    marks: dict[int, str]  # source_row -> group_row | footer_row | note_row | index_row
    groups: dict[int, str]  # source_row of a commune heading -> the heading as read
    communes: set[str] = field(default_factory=set)  # commune codes the headings name
    # source_row of a heading naming a body of the commune ("Văn phòng Đảng ủy") -> the heading as read, or ""
    # where a commune heading ends the body above it
    bodies: dict[int, str] = field(default_factory=dict)
    # source_row of a class heading in a roster of several classes ("Lớp BD-2024-11: Bồi dưỡng ...") -> its text
    classes: dict[int, str] = field(default_factory=dict)


def rows_of(rows: pl.DataFrame, header: Header, legacy: str | None, district: str | None) -> Layout:
    """Commune headings, section headings and the signature block among a sheet's rows (``rows``: the grid
    under the header, with ``source_row``). Only rows that describe nobody (no digit in a birth-date or ID
    column) are looked at, in order."""
    person_cols = [
        f"column_{i}"
        for i, (n, _) in header.columns.items()
        if n in ("dob", "citizen_id") and f"column_{i}" in rows.columns
    ]
    cells = [c for c in rows.columns if c.startswith("column_")]
    if not cells or not rows.height:
        return Layout({}, {})
    name_cols = [
        f"column_{i}"
        for i, (n, _) in header.columns.items()
        if n in ("full_name", *NAME_PARTS) and f"column_{i}" in rows.columns
    ]
    # a person: a birth date or ID that starts with a digit, or a name beside one written out in words
    # ("ngày 12 tháng 5 năm 1974", which a signature block's date line looks like)
    person = (
        pl.any_horizontal(pl.col(c).str.contains(r"^\s*\d").fill_null(False) for c in person_cols)
        | (
            pl.any_horizontal(pl.col(c).str.contains(r"\d").fill_null(False) for c in person_cols)
            & pl.any_horizontal(pl.col(c).is_not_null() for c in name_cols)
            if name_cols
            else pl.lit(False)
        )
        if person_cols
        else pl.lit(False)
    )
    filled = pl.any_horizontal(pl.col(c).is_not_null() for c in cells)
    # a column's number: "7", "(7)", a letter ("A", "B" for the name columns), a formula caption ("3=4+6+8")
    small = r"^\s*\(?(?:\d{1,3}|[A-Ea-e])(?:\s*\(?=[\d+\-*/.…\s]+\)?)?\)?\s*$"
    # a row of column numbers: only small numbers, three or more (looked at only where the birth date or ID
    # column holds one, which few rows do)
    maybe = (
        rows.filter(pl.any_horizontal(pl.col(c).str.contains(small).fill_null(False) for c in person_cols))
        if person_cols
        else rows
    )
    numbers = pl.sum_horizontal(pl.col(c).str.contains(small).fill_null(False) for c in cells)
    # ... numbering the columns left to right, each number once (an anonymous form's answers typed as codes, "1 3 4
    # 3", are no such row)
    leading = pl.concat_list(
        [pl.col(c).str.extract(r"^\s*\(?(\d+)").cast(pl.Int32, strict=False) for c in cells]
    ).list.drop_nulls()
    rising = leading.list.diff().list.drop_nulls().list.eval(pl.element() > 0).list.all()
    index = maybe.filter(
        (numbers >= 3) & (numbers == pl.sum_horizontal(pl.col(c).is_not_null() for c in cells)) & rising.fill_null(True)
    )
    marks: dict[int, str] = dict.fromkeys(index.get_column("source_row").to_list(), "index_row")
    # without a birth-date or ID column (a roster may have neither), only sparse rows can be headings or signatures
    sparse = pl.sum_horizontal(pl.col(c).is_not_null() for c in cells) <= 3
    candidates = rows.filter(~person & filled & (sparse if not person_cols else pl.lit(True)))
    stt = next((f"column_{i}" for i, (n, _) in header.columns.items() if n == "stt"), None)
    groups: dict[int, str] = {}
    communes: set[str] = set()
    bodies: dict[int, str] = {}
    classes: dict[int, str] = {}
    unread: dict[int, str] = {}  # rows of one unnumbered text that read as nothing
    closing: dict[int, str] = {}  # total rows that name one commune
    body_level = None  # how the organisation heading in force is numbered (see _level)
    footer = False
    for row in candidates.iter_rows(named=True):
        at = row["source_row"]
        texts = {c: normalise(row[c], legacy) for c in cells if row[c] is not None}
        texts = {c: t for c, t in texts.items() if t}
        if not texts:
            continue
        signed = len(texts) == 1 and not any(row[c] for c in name_cols) and vocab.is_signer(*texts.values())
        if footer or signed or any(vocab.is_footer(t) for t in texts.values()):
            footer = True
            marks[at] = "footer_row"
            continue
        if len(texts) == 1 and vocab.is_page(*texts.values()):
            marks[at] = "page_row"  # never a person's second post (a continuation), wherever it is typed
            continue
        if (len(texts) == 1 and vocab.is_note(*texts.values())) or _legend_line(next(iter(texts.values()))):
            # a footnote ("Ghi chú: ...", "(*) ...", a form's "Câu 2: ..."): the rows after it are read as before
            marks[at] = "note_row"
            continue
        first = fold(next(iter(texts.values())))
        if _TOTAL.match(first):  # a total row: counted as such when rows are classified
            if len(texts) <= 2 and (code := _closes(next(iter(texts.values())), district)):
                closing[at] = code  # "Cộng xã Hà Lâu: 5 người": the rows above it are of that commune
            continue
        if header.kind == "roster" and len(texts) <= 2 and (heading := _class_heading(texts, stt)):
            marks[at], classes[at] = "group_row", heading  # the students under it are of that class
            continue
        number = texts.get(stt) if stt else None
        if number is not None and (_ROMAN.match(number) or re.fullmatch(r"\(?\d{1,4}[.)]?", number)):
            texts.pop(stt)  # the row's number; a heading typed into the STT column ("1. Xã Đồng Tiến") stays
        else:
            number = None
        words = [t for t in texts.values() if not re.fullmatch(r"[\d\s.,]+(?:người)?", t)]
        if len(words) != 1:
            continue
        text = words[0]
        column = next(c for c, t in texts.items() if t == text)
        value = row[column]
        if (bare := _UNIT_LABEL.sub("", text)) != text:  # "Đơn vị: Xã Bình Dân": the label is no part of it
            text = value = bare
        heading = bool(number and _ROMAN.match(number)) or text.isupper()
        bare = _HEADING_NUMBER.sub("", text)  # "1/ Xã Bình Dân", "a) Xã Bình Dân", "II. XÃ ..."
        code, _ = vocab.map_commune(bare, district)
        kind, _ = vocab.split_unit(bare)
        unit = kind in ("xa", "phuong", "thi tran")
        # a commune's name alone in a row of nothing else ("Bình Dân"; no one's name is a commune's), or one commune
        # named with its kind after other words ("Cán bộ, công chức xã Bình Dân": no one's name says "xã")
        inside = not unit and _KIND_WORD.search(bare) and len(vocab.communes_named(bare, district)) == 1
        # a commune first ("Xã Đoàn Kết"), then an organisation ("Xã đoàn", "3. Ủy ban nhân dân phường Mạo Khê")
        body = not (code and (unit or heading)) and vocab.heads_organisation(text)
        if body:
            marks[at], bodies[at], body_level = "group_row", value, _level(number, text)
            if len(named := vocab.communes_named(text, district)) == 1:
                groups[at] = value
                communes |= named
        elif unit or code or inside:
            marks[at], groups[at] = "group_row", value
            bodies[at] = ""
            communes |= {code} if code else vocab.communes_named(bare, district) if inside else set()
        elif (
            vocab.is_section(text)
            or (number and _ROMAN.match(number) and not re.search(r"\d", text))
            or kind in ("huyen", "thi xa", "thanh pho")  # a district heading ("I. HUYỆN TIÊN YÊN")
        ):
            marks[at] = "group_row"
            if body_level is not None and _level(number, text) in (body_level, "I"):
                # a heading of the organisation's rank or above ("II. MTTQ VÀ CÁC ĐOÀN THỂ", "CÔNG CHỨC") ends it;
                # one under it ("1. Lãnh đạo" under "I. ĐẢNG ỦY") does not
                bodies[at], body_level = "", None
        elif len(texts) == 1 and re.match(r"\s*\*+\s*\w", text):
            marks[at] = "note_row"  # "* ...": a starred line that heads nothing is a note
        elif number is None and len(texts) == 1 and not re.search(r"\d", text):
            unread[at] = value
    if groups and unread and stt:  # a list headed by commune: a heading not read is still one (see _restarts)
        for at in _restarts(rows, stt, unread):
            marks[at], groups[at], bodies[at] = "group_row", unread[at], ""
    if closing and not groups and header.kind == "hr" and "commune" not in header.names:
        groups, communes = _closed_groups(rows, closing), set(closing.values())
    return Layout(marks, groups, communes, bodies, classes)


def _level(number: str | None, text: str) -> str:
    """How a heading is numbered, in its number's cell or before its words: "I" (Roman), "1", "a", or ""."""
    mark = (number or "").strip() or (m[0] if (m := _HEADING_NUMBER.match(text)) else "")
    mark = mark.strip(" .)/-|:(")
    if re.fullmatch(r"[IVXLC]+", mark):
        return "I"
    return "1" if mark.isdigit() else "a" if mark else ""


# a total's words before the commune it closes, and a count after it: "Cộng: Xã Thượng Yên Công (03 người)"
_TOTAL_WORDS = accent_blind(r"^\s*(?:tổng\s+cộng|tổng\s+số|cộng)\s*[:\-–]?\s*")
_COUNT_AFTER = accent_blind(r"\s*[:(\-–]?\s*\d+\s*(?:người|đ/c|đồng chí)?\s*\)?\s*$")


def _closes(text: str, district: str | None) -> str | None:
    """The one commune a total row names ("Cộng phường Vàng Danh: 02 người", "Cộng P. Bắc Sơn"), by code."""
    rest = _COUNT_AFTER.sub("", _TOTAL_WORDS.sub("", text))
    code, _ = vocab.map_commune(rest, district)
    named = {code} if code else vocab.communes_named(rest, district)
    return next(iter(named)) if len(named) == 1 else None


def _closed_groups(rows: pl.DataFrame, closing: dict[int, str]) -> dict[int, str]:
    """A list with no commune heading whose communes' totals close their rows instead ("Cộng phường Vàng Danh: 02
    người" under its people): the rows from the one after the total above (the first row) up to each total are of
    its commune, by code; the rows after the last such total are of none (refused ``missing_commune``)."""
    groups, start = {}, rows.get_column("source_row").min()
    for at in sorted(closing):
        groups[start] = closing[at]
        start = at + 1
    groups[start] = ""
    return groups


def _restarts(rows: pl.DataFrame, stt: str, unread: dict[int, str]) -> list[int]:
    """Of a list's rows of one unnumbered text that read as nothing (``unread``), those after which the numbering
    starts again at 1: a commune heading whose commune is not known ("Bình Dânn"). Its people then go unplaced,
    refused naming it, rather than into the commune above."""
    numbers = rows.select("source_row", pl.col(stt).str.extract(r"^\s*(\d{1,4})").cast(pl.Int32, strict=False))
    numbered = numbers.drop_nulls(stt)
    out = []
    for at in unread:
        before = numbered.filter(pl.col("source_row") < at).tail(1).get_column(stt).to_list()
        after = numbered.filter(pl.col("source_row") > at).head(1).get_column(stt).to_list()
        if after == [1] and before:  # "2" (or "1") above it, "1" under it: the numbering restarts
            out.append(at)
    return out


# a roster's class heading: "Lớp BD-2024-11: ...", "II. LỚP BỒI DƯỠNG ...", "Khóa K12 (...)"
_CLASS_HEADING = accent_blind(r"^(?:lớp|khóa|khoá)\s+\S")


def _class_heading(texts: dict[str, str], stt: str | None) -> str | None:
    """The class a roster's row heads, as written: its one cell (a number in the STT column aside) when it
    starts with "Lớp" or "Khóa" ("I" | "Lớp BD-2024-11: Bồi dưỡng cán bộ chủ chốt (06/5 - 10/5/2024)")."""
    rest = [t for c, t in texts.items() if c != stt or not re.fullmatch(r"\s*(?:[IVXLC]+|\d{1,3})[.)]?\s*", t)]
    if len(rest) != 1:
        return None
    text = _HEADING_NUMBER.sub("", rest[0])
    return text if _CLASS_HEADING.match(text) else None


_HEADING_NUMBER = re.compile(r"^\s*(?:[IVXLC]+|\d+|[a-eA-E])\s*[.)/\-|:]\s*(?=\S)")
_KIND_WORD = accent_blind(r"(?<!\w)(?:(?:xã|phường|thị trấn)\s+|(?:x|p|tt)\.\s*)\w")  # "xã Quan Lạn", "X. Quan Lạn"
# a commune heading's label before its name ("Đơn vị: Xã Bình Dân", "Địa bàn - Phường Hà Khánh")
_UNIT_LABEL = accent_blind(r"^\s*(?:đơn vị(?: hành chính)?|địa bàn|đvhc|tên (?:đơn vị|xã))\s*[:\-–]\s*(?=\S)")

BODY = "Tổ chức (dòng tiêu đề)"  # the extra that keeps the organisation heading above a row


def annotate(rows: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """``_layout`` (the row's mark), ``_group`` (the commune heading above the row, as read) and, where the
    sheet heads its people by organisation, ``_body`` (that heading)."""
    at = rows.get_column("source_row")
    mark = at.replace_strict(list(layout.marks), list(layout.marks.values()), default=None, return_dtype=pl.Utf8)
    group = at.replace_strict(list(layout.groups), list(layout.groups.values()), default=None, return_dtype=pl.Utf8)
    out = rows.with_columns(mark.alias("_layout"), group.forward_fill().alias("_group"))
    if layout.classes:
        heads = at.replace_strict(layout.classes, default=None, return_dtype=pl.Utf8)
        out = out.with_columns(heads.forward_fill().alias("_class"))
    if any(layout.bodies.values()):
        body = at.replace_strict(list(layout.bodies), list(layout.bodies.values()), default=None, return_dtype=pl.Utf8)
        out = out.with_columns(pl.when(body.forward_fill() != "").then(body.forward_fill()).alias("_body"))
    return out


def fold_continuations(rows: pl.DataFrame, header: Header, filled: dict[int, frozenset[int]]) -> pl.DataFrame:
    """A person's record carried onto the row under it: a second post or degree typed on a row of its own, with
    no number, name, birth date or ID, or with the person's name merged over both rows (``filled``: by column,
    the grid rows a merge above gave its value; a row typed twice is no merge: a repeat, or a conflict).
    Its cells join the person's ("; ": the posts held together, the highest degree) and the row itself is a
    ``continuation_row``. Only right under a person's row, saying something new there and nothing else: never
    a heading's or a signature's row (marked before), a row of its own number, or a repeat of the row above."""
    named = [(f"column_{i}", n) for i, (n, _) in header.columns.items() if f"column_{i}" in rows.columns]
    who = [c for c, n in named if n in ("full_name", *NAME_PARTS)]
    held = [c for c, n in named if n in ("title", *vocab.LEVELS)]
    if not rows.height or not who or not held or "_layout" not in rows.columns:
        return rows
    joined = [*held, *(c for c, n in named if n == "prof_field")]
    joined += [f"column_{i}" for i in header.extras if f"column_{i}" in rows.columns]
    same = [c for c in rows.columns if c.startswith("column_") and c not in joined]
    name_merged = sorted(
        {r + 1 for c, n in named if n in ("full_name", "name_family") for r in filled.get(int(c[7:]), ())}
    )

    def kept(c: str) -> pl.Expr:  # empty, or what the row above says (a merge filled down)
        return (pl.col(c).is_null() | (pl.col(c) == pl.col(c).shift(1))).fill_null(False)

    entry = pl.col("source_row").is_in(name_merged)  # the person's name merged over both rows
    candidate = (
        pl.col("_layout").is_null()
        & pl.col("_layout").shift(1).is_null()
        & (pl.col("source_row") == pl.col("source_row").shift(1) + 1).fill_null(False)
        & pl.any_horizontal((pl.col(c) != pl.col(c).shift(1)).fill_null(pl.col(c).is_not_null()) for c in held)
        # nothing else written (a unit and a post without a name may be a post left vacant), or the same entry
        & (pl.all_horizontal(pl.col(c).is_null() for c in same) | (entry & pl.all_horizontal(kept(c) for c in same)))
    )
    named_row = pl.any_horizontal(pl.col(c).is_not_null() for c in who)
    marked = rows.with_columns(candidate.alias("_cont")).with_columns(
        pl.when(~pl.col("_cont")).then(pl.col("source_row")).forward_fill().alias("_anchor"),
        pl.when(~pl.col("_cont")).then(named_row).forward_fill().fill_null(False).alias("_anchored"),
    )
    marked = marked.with_columns((pl.col("_cont") & pl.col("_anchored")).alias("_cont"))
    if not marked.get_column("_cont").any():
        return rows
    anchors = marked.filter(pl.col("_cont")).get_column("_anchor").unique()
    merged = (
        marked.filter(pl.col("_anchor").is_in(anchors.implode()))
        .group_by("_anchor", maintain_order=True)
        .agg(pl.col(c).drop_nulls().unique(maintain_order=True).str.join("; ") for c in joined)
        .with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in joined)
    )
    out = marked.join(merged, left_on="source_row", right_on="_anchor", how="left", suffix="_merged")
    return out.with_columns(
        *(
            pl.when(pl.col("_anchor").is_in(anchors.implode()) & ~pl.col("_cont"))
            .then(pl.col(f"{c}_merged"))
            .otherwise(pl.col(c))
            .alias(c)
            for c in joined
        ),
        pl.when(pl.col("_cont")).then(pl.lit("continuation_row")).otherwise(pl.col("_layout")).alias("_layout"),
    ).select(rows.columns)


def fold_posts(rows: pl.DataFrame, header: Header) -> pl.DataFrame:
    """A person listed once for each post held, anywhere in the sheet ("Bí thư Đảng ủy" on one numbered row,
    "Chủ tịch HĐND" on another, every other cell the same): one record, at the first row, its posts held
    together ("; ", as "X kiêm Y"); the other rows are ``another_post_row``. A row typed twice (the same post
    too) stays a repeat; rows of one number (a row copied, its post changed: which is true is for a person to
    decide), or of one name differing in anything but the post, stay a conflict."""
    named = [(f"column_{i}", n) for i, (n, _) in header.columns.items() if f"column_{i}" in rows.columns]
    who = [c for c, n in named if n in ("full_name", *NAME_PARTS)]
    posts = [c for c, n in named if n == "title"]
    if len(posts) != 1 or not who or "_layout" not in rows.columns or rows.height < 2:
        return rows
    post, numbers = posts[0], {c for c, n in named if n == "stt"}
    same = [c for c in rows.columns if (c.startswith("column_") and c not in numbers and c != post) or c == CARRIED]
    person = pl.col("_layout").is_null() & pl.any_horizontal(pl.col(c).is_not_null() for c in who)
    keyed = rows.with_columns(
        pl.when(person & pl.col(post).is_not_null())
        .then(pl.concat_str([pl.col(c).fill_null("") for c in same], separator="\x1f"))
        .alias("_who")
    )
    held = (
        keyed.filter(pl.col("_who").is_not_null())
        .group_by("_who", maintain_order=True)
        .agg(
            pl.col("source_row").first().alias("_first"),
            pl.col(post).unique(maintain_order=True).alias("_posts"),
            pl.all_horizontal(pl.col(c).drop_nulls().is_unique().all() for c in numbers).alias("_numbered_apart")
            if numbers
            else pl.lit(True).alias("_numbered_apart"),
        )
        .filter((pl.col("_posts").list.len() > 1) & pl.col("_numbered_apart"))
    )
    if not held.height:
        return rows
    keyed = keyed.join(held.drop("_numbered_apart"), on="_who", how="left")
    first = pl.col("source_row") == pl.col("_first")
    return keyed.with_columns(
        pl.when(first).then(pl.col("_posts").list.join("; ")).otherwise(pl.col(post)).alias(post),
        pl.when(pl.col("_first").is_not_null() & ~first)
        .then(pl.lit("another_post_row"))
        .otherwise(pl.col("_layout"))
        .alias("_layout"),
    ).select(rows.columns)


CARRIED = "_commune_carried"  # a unit column's value carried down over the rows that leave it blank
# a roster's columns a class heading above its rows gives (pipeline: read from the heading's text)
HEADED = {
    "class_code": "_class_code",
    "class_name": "_class_name",
    "start_date": "_class_start",
    "end_date": "_class_end",
}


def carry_down(rows: pl.DataFrame, i: int) -> pl.DataFrame:
    """A unit column written once for the rows of its commune (a merge undone, a CSV of a merged sheet, a clerk
    who wrote it once): each blank cell takes the value above it, from people's rows only, never across a
    heading row."""
    cell, mark = _cell(rows, i), pl.col("_layout")
    source = pl.when(mark.is_null()).then(cell).when(mark == "group_row").then(pl.lit(""))
    carried = source.forward_fill()
    return rows.with_columns(pl.when(carried != "").then(carried).alias(CARRIED))


# a cell that says "as the row above": "nt", "-nt-", "Như trên", '"', "〃", "-//-"
_DITTO = r"(?i)^\s*[-–(]?\s*(?:n\s?[./]?\s?t|như\s+trên|nhu\s+tren|/{2}|-\s?\"\s?-|[\"“”〃]|''|,,)\s*[-–)]?\s*$"
_NOT_DITTOED = {"full_name", "stt", "citizen_id", *NAME_PARTS}  # no one is named or numbered "as above"


def ditto(rows: pl.DataFrame, header: Header) -> pl.DataFrame:
    """Cells that say "as the row above" ("nt", "Như trên", '"') hold what the cell above them holds, from
    people's rows only, never across a heading row; one with nothing above it stays as written."""
    found = [
        f"column_{i}"
        for i, (name, _) in [*header.columns.items(), *((i, (label, None)) for i, label in header.extras.items())]
        if name not in _NOT_DITTOED and rows.schema.get(f"column_{i}") == pl.Utf8
    ]
    found = [c for c in found if rows.get_column(c).str.contains(_DITTO).any()]
    if not found:
        return rows
    mark = pl.col("_layout") if "_layout" in rows.columns else pl.lit(None, pl.Utf8)
    person = mark.is_null()
    out = []
    for c in found:
        said = pl.col(c).str.contains(_DITTO).fill_null(False)
        above = pl.when(person & ~said).then(pl.col(c)).when(mark == "group_row").then(pl.lit("")).forward_fill()
        out.append(pl.when(said & person & (above != "")).then(above).otherwise(pl.col(c)).alias(c))
    return rows.with_columns(out)


# -- one record per row -------------------------------------------------------------------------------------
def _cell(rows: pl.DataFrame, i: int) -> pl.Expr:
    return pl.col(f"column_{i}") if f"column_{i}" in rows.columns else pl.lit(None, pl.Utf8)


def _ticked(cell: pl.Expr, folded: pl.Expr | None = None) -> pl.Expr:
    folded = fold_expr(cell) if folded is None else folded
    return folded.is_in(vocab.marks()) | cell.str.strip_chars().is_in(vocab.mark_symbols())


def _joined(parts: list[pl.Expr]) -> pl.Expr:
    joined = pl.concat_str(parts, separator="; ", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def records(rows: pl.DataFrame, header: Header, sheet: str, commune_text: str | None = None) -> pl.DataFrame:
    """``source_sheet``, ``source_row``, ``<name>__raw`` for each canonical column (composed where the sheet
    splits it), ``extra__<label>`` for the rest, and the row's ``_layout`` mark. ``commune_text``: the
    title line naming the one commune of a sheet without a commune column."""
    out = [pl.lit(sheet).alias("source_sheet"), pl.col("source_row").cast(pl.Int32)]
    for name in header.names:
        out.append(_compose(rows, header, name, commune_text).alias(f"{name}__raw"))
    for i, label in sorted(header.extras.items()):
        if f"column_{i}" in rows.columns:
            out.append(pl.col(f"column_{i}").alias(f"extra__{label}"))
    if "_body" in rows.columns:
        out.append(pl.col("_body").alias(f"extra__{BODY}"))
    out.append(pl.col("_layout") if "_layout" in rows.columns else pl.lit(None, pl.Utf8).alias("_layout"))
    # nothing written in the row, or only its number (a template's rows numbered ahead of the people typed in)
    numbers = {f"column_{i}" for i, (name, _) in header.columns.items() if name == "stt"}
    cells = [
        pl.col(c).is_null() | (pl.col(c).str.contains(r"^\s*\(?\d{1,4}(?:\.0)?[.)]?\s*$") if c in numbers else False)
        for c in rows.columns
        if c.startswith("column_")
    ]
    out.append((pl.all_horizontal(cells) if cells else pl.lit(True)).alias("_blank"))
    return rows.select(out)


def _sex_legend(text: str | None) -> dict[str, str]:
    """The codes a sex column's header explains ("Giới tính (Nam: 1, Nữ: 0)", "GT (1 = Nam; 0 = Nữ)")."""
    parts = re.split(r"([:=,;()])", text or "")
    folded = " ".join(part if i % 2 else fold(part) for i, part in enumerate(parts))  # punctuation kept
    pairs = [(code, sex) for sex, code in re.findall(r"\b(nam|nu)\s*[:=]\s*([0-9a-z]{1,2})\b", folded)]
    pairs = pairs or re.findall(r"\b([0-9a-z]{1,2})\s*[:=]\s*(nam|nu)\b", folded)
    legend = {code: "Nam" if sex == "nam" else "Nu" for code, sex in pairs}
    return legend if set(legend.values()) == {"Nam", "Nu"} else {}


def _answer_legend(text: str | None, question: str) -> dict[str, str]:
    """The codes a survey question's header explains ("Mức độ cải thiện (1: Không đáng kể; 2: Tích cực; ...)",
    "... (Rất cần thiết = 3, ...)", a legend's options "[a) Rất tích cực; b) ...]"): folded code -> the answer's
    label, when every label explained reads as one of the scale's."""
    inner = " ".join(a or b for a, b in re.findall(r"\(([^)]*)\)|\[([^\]]*)\]", text or "")) or (text or "")
    pairs = re.findall(r"(?:^|[;,(:])\s*(\d{1,2}|[a-eA-E])\s*[:=.)\-–]\s*([^;,()]+)", inner)
    pairs = pairs or [(c, t) for t, c in re.findall(r"(?:^|[;,(])\s*([^;,()=:\d]+?)\s*[:=]\s*(\d{1,2})\b", inner)]
    legend = {fold(code): label.strip() for code, label in pairs}
    # most of its labels the scale's (one it lacks, "Ít cần thiết", is read as written: the row says so)
    answering = sum(_answers(question, t) for t in legend.values())
    return legend if answering >= 2 and answering * 2 > len(legend) else {}


def _legend(cell: pl.Expr, legend: dict[str, str]) -> pl.Expr:
    folded = fold_expr(cell.str.replace(r"^\s*(\d+)\.0+\s*$", "$1"))
    return folded.replace_strict(legend, default=cell, return_dtype=pl.Utf8)


# the birth date (or year) after a name in one cell: on its own line, in brackets, after a dash or comma, with or
# without "sinh năm" ("Nguyễn Văn An\n12/3/1975", "Lê Thị Bình (1982)", "Trần Văn Ba - 1979", "..., sinh năm 1990")
_WITH_DOB = (
    r"(?i)(?:\s*\n\s*|\s*[(\[]\s*|\s*[-–,;]\s*|\s+)(?:(?:sinh năm|năm sinh|sinh ngày|ngày sinh|sn|ns)\s*[:.]?\s*)?"
    r"((?:\d{1,2}\s*[/.\-]\s*){0,2}(?:19|20)\d\d|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2})\s*[)\]]?\.?\s*$"
)


# the post after a name in one cell: on its own line, after a dash, comma or colon, in brackets, or, with none of
# these, where a post's first words start ("Nguyễn Văn An - Chủ tịch UBND", "Lê Thị Bình (Bí thư Đảng ủy)")
_WITH_TITLE = unaccented_too(
    r"(?i)^(?:(.+?)\s*(?:\n|\s[-–]\s|[,:;(])\s*(.+?)\s*\)?|(.+?)\s+((?:phó|chủ tịch|bí thư|công chức|chỉ huy|"
    r"ủy viên|uỷ viên|cán bộ|ct|pct|bt|pbt)\s.+?))\s*$"
)


# the two parts of a cell under a header of two qualifications: "Cao cấp - CVC", "TC; CV", "Tin B, Anh B"; a cell
# of one part is the first's
_TWO_LEVELS = r"^\s*(.+?)(?:\s*(?:\s[-–]\s|[;,/\n|])\s*(.+?))?\s*$"


def _with_title(rows: pl.DataFrame, i: int, group: int) -> pl.Expr:
    """The name (``group`` 1) or the post (2) of a cell that gives both; a cell not so split is all name."""
    cell = _cell(rows, i)
    split = pl.coalesce(cell.str.extract(_WITH_TITLE, group), cell.str.extract(_WITH_TITLE, group + 2))
    return split if group == 2 else pl.coalesce(split, cell)


def _compose(rows: pl.DataFrame, header: Header, name: str, commune_text: str | None) -> pl.Expr:
    cells = [_cell(rows, i) for i, part in header.sources(name) if part is None]
    if (name in JOINED and len(header.sources(name)) > 1) or any(p == "mark" for _, p in header.sources(name)):
        parts = []
        for i, part in header.sources(name):
            cell = _cell(rows, i)
            if part == "mark":
                label = header.labels[i]
                said = fold_expr(cell)  # no word ("-", "☐") or one saying no ("0", "Không"): not ticked
                cell = (
                    pl.when(_ticked(cell, said))
                    .then(pl.lit(label))
                    .when((said != "") & ~said.is_in(vocab.unticked()))
                    .then(pl.lit(label + " ") + cell)
                )
            parts.append(cell)
        return _joined(parts)
    if name == "full_name":
        cells += [_cell(rows, i).str.replace(_WITH_DOB, "") for i, p in header.sources("full_name") if p == "with_dob"]
        cells += [_with_title(rows, i, 1) for i, p in header.sources("full_name") if p == "with_title"]
        family, middle, given = ([_cell(rows, i) for i, _ in header.sources(part)][:1] for part in NAME_PARTS)
        if family:  # "Họ" | "Chữ đệm" | "Tên": the family, middle and given names, as one
            split = pl.concat_str([*family, *middle, *given], separator=" ", ignore_nulls=True)
            cells.append(pl.when(split == "").then(None).otherwise(split))
        elif given:
            cells.append(given[0])  # a lone "Tên" column holds the whole name
    if name == "title":
        cells += [_with_title(rows, i, 2) for i, p in header.sources("full_name") if p == "with_title"]
        if header.title_from:
            cells += [_cell(rows, i) for i, part in header.sources(header.title_from) if part is None]
    for i, (first, part) in header.columns.items():  # "Cao cấp - CVC" under "LLCT - QLNN": each its own
        if part and part.startswith(PAIRED) and name in (first, part.removeprefix(PAIRED)):
            cells.append(_cell(rows, i).str.extract(_TWO_LEVELS, 1 if name == first else 2))
    if name == "dob":
        cells += [_cell(rows, i) for i, part in header.sources("dob") if part in ("male", "female")]
        cells += [_cell(rows, i).str.extract(_WITH_DOB, 1) for i, p in header.sources("full_name") if p == "with_dob"]
        pieces = {part: _cell(rows, i).str.replace(r"\.0+$", "") for i, part in header.sources("dob")}
        if "day_month" in pieces:  # "12/5", or what Excel made of it: a day of the year it was typed ("2024-05-12")
            day_month = (
                pieces.pop("day_month")
                .str.replace(r"^\d{4}-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", "$2/$1")
                .str.replace(
                    r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*\d{4}\s*$", "$1/$2"
                )  # ... as a CSV shows it
            )
            pieces |= {"day": day_month.str.extract(r"^\s*(\d{1,2})\s*[/.\-]", 1),
                       "month": day_month.str.extract(r"[/.\-]\s*(\d{1,2})\s*$", 1)}  # fmt: skip
        if "year" in pieces:  # "Ngày | Tháng | Năm": d/m/y, an unknown part as 00 ("00/05/1974")
            dmy = [pieces.get(p, pl.lit(None, pl.Utf8)).fill_null("00") for p in ("day", "month")]
            joined = pl.concat_str([*dmy, pieces["year"]], separator="/")
            cells.append(pl.when(pieces["year"].is_not_null()).then(joined))
    if name in QUESTIONS and (
        legend := _answer_legend(header.found.get(name), name) or _answer_legend(header.legends.get(name), name)
    ):
        cells = [_legend(cell, legend) for cell in cells]  # "4" under "(1: ...; 4: Rất tích cực)"
    if name == "sex":
        if legend := _sex_legend(header.found.get("sex")):  # "Giới tính (Nam: 1, Nữ: 0)"
            cells = [_legend(cell, legend) for cell in cells]
        for i, part in header.sources("dob"):
            if part in ("male", "female"):
                cells.append(pl.when(_cell(rows, i).is_not_null()).then(pl.lit("Nam" if part == "male" else "Nu")))
        parts = {part for _, part in header.sources("sex")}
        for i, part in header.sources("sex"):
            if part in ("male", "female"):
                ticked = _ticked(_cell(rows, i))
                cell = pl.when(ticked).then(pl.lit("Nam" if part == "male" else "Nu"))
                if parts == {"female"}:  # a lone "Nữ" column ticked for women: the others are men
                    cell = cell.when(ticked.any()).then(pl.lit("Nam"))
                elif parts == {"male"} and _one_sex(header.found.get("sex")):
                    cell = cell.when(ticked.any()).then(pl.lit("Nu"))  # "Giới tính nam (ghi X)": the others women
                cells.append(cell)
    if (heading := HEADED.get(name)) and heading in rows.columns:
        cells.append(pl.col(heading))  # a roster's class heading above the row ("Lớp BD-2024-11: ...")
    if name == "commune":
        if "_group" in rows.columns:
            cells.append(pl.col("_group"))
        if CARRIED in rows.columns:
            cells.append(pl.col(CARRIED))
        if commune_text:
            cells.append(pl.lit(commune_text))
        if header.commune_from:
            cells += [_cell(rows, i) for i, part in header.sources(header.commune_from) if part is None]
    if not cells:
        return pl.lit(None, pl.Utf8)
    return pl.coalesce(cells) if len(cells) > 1 else cells[0]
