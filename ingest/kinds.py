"""What each kind of file becomes: the typed columns loaded into its raw table."""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from cadre import reference
from ingest import vocabulary as vocab
from ingest.rows import Context, col, each_value, extras_json
from ingest.text import fold_expr, unaccented_too

# (as typed with or without diacritics)
_PARTICIPANTS = "(?i)" + unaccented_too(r"^\s*(\d+)(?:\.0+)?\s*(?:người|học viên|hv|lượt người)?\s*\.?\s*$")
_TRAININGS = "(?i)" + unaccented_too(r"^\s*(\d+)(?:\.0+)?(?:\s*(?:lớp|lần|khóa|khoá))?\s*$")
RAW_TABLE = {"hr": "hr_rows", "classes": "course_classes", "roster": "roster_rows", "survey": "survey_responses"}


def _v(frame: pl.DataFrame, name: str, dtype=pl.Utf8) -> pl.Expr:
    return col(frame, f"{name}__v", dtype)


def _raw(frame: pl.DataFrame, name: str) -> pl.Expr:
    return col(frame, f"{name}__raw")


def _raw_if_changed(frame: pl.DataFrame, name: str, clean: str | None = None) -> pl.Expr:
    """The cell as read, where reading changed it (null: the cell read exactly as the clean value)."""
    if f"{name}__raw" not in frame.columns:
        return pl.lit(None, pl.Utf8)
    return pl.when(pl.col(f"{name}__raw").ne_missing(pl.col(clean or name))).then(pl.col(f"{name}__raw"))


def _person(frame: pl.DataFrame) -> list[pl.Expr]:
    """Who a row is about, as every kind of file names people."""
    return [
        col(frame, "full_name").alias("full_name"),  # none on an anonymous survey's forms
        _raw_if_changed(frame, "full_name").alias("full_name_raw"),
        col(frame, "name_key").alias("name_key"),
        _v(frame, "dob", pl.Date).alias("dob"),
        _raw(frame, "dob").alias("dob_raw"),
    ]


def _unit_and_title(frame: pl.DataFrame) -> list[pl.Expr]:
    """Where and what, as rosters and surveys type them (kept as text, mapped where possible)."""
    return [
        col(frame, "commune").alias("unit_raw"),
        col(frame, "district").alias("district_raw"),
        _v(frame, "commune").alias("commune_code"),
        _v(frame, "title").alias("title_code"),
        _raw(frame, "title").alias("title_raw"),
    ]


def _concurrent(frame: pl.DataFrame) -> pl.Expr:
    """The posts held beside the primary one (a list; null where there is none)."""
    return col(frame, "title__concurrent").str.split(";")


def hr(frame: pl.DataFrame, ctx: Context) -> list[pl.Expr]:
    return [
        *_person(frame),
        _v(frame, "sex").alias("sex"),
        _v(frame, "ethnicity").alias("ethnicity"),
        _raw_if_changed(frame, "ethnicity", "ethnicity__v").alias("ethnicity_raw"),
        _v(frame, "citizen_id").alias("citizen_id"),
        _raw_if_changed(frame, "citizen_id", "citizen_id__v").alias("citizen_id_raw"),
        col(frame, "citizen_id__flag").alias("citizen_id_flag"),
        _v(frame, "commune").alias("commune_code"),
        _raw(frame, "commune").alias("commune_raw"),
        _v(frame, "title").alias("title_code"),
        _raw(frame, "title").alias("title_raw"),
        _concurrent(frame).alias("title_concurrent"),
        _v(frame, "prof_level").alias("prof_level"),
        _raw(frame, "prof_level").alias("prof_level_raw"),
        pl.coalesce(col(frame, "prof_field"), col(frame, "prof_level__field")).alias("prof_field"),
        _v(frame, "llct").alias("llct"),
        _raw(frame, "llct").alias("llct_raw"),
        _v(frame, "qlnn").alias("qlnn"),
        _raw(frame, "qlnn").alias("qlnn_raw"),
        _v(frame, "it").alias("it"),
        _raw(frame, "it").alias("it_raw"),
        _v(frame, "lang").alias("lang"),
        _raw(frame, "lang").alias("lang_raw"),
        _v(frame, "party_date", pl.Date).alias("party_date"),
        _raw(frame, "party_date").alias("party_date_raw"),
        _v(frame, "appointment_date", pl.Date).alias("appointment_date"),
        _raw(frame, "appointment_date").alias("appointment_date_raw"),
        _v(frame, "title_until", pl.Date).alias("title_until"),
        _raw(frame, "title_until").alias("title_until_raw"),
        extras_json(frame),
        pl.col("_flags").alias("flags"),
    ]


def classes(frame: pl.DataFrame, ctx: Context) -> list[pl.Expr]:
    return [
        _class_code(frame, ctx).alias("class_code"),
        col(frame, "class_name").alias("class_name"),
        pl.coalesce(  # the code, from a code or a label; else the text as written (the staging test says so)
            col(frame, "category").map_elements(vocab.read_category, return_dtype=pl.Utf8, skip_nulls=True),
            col(frame, "category"),
            # no category column: what the class's name says, if it says one
            col(frame, "class_name").map_elements(vocab.category_in, return_dtype=pl.Utf8, skip_nulls=True)
            if "category" not in frame.columns
            else None,
        ).alias("category"),
        col(frame, "organiser_level").alias("organiser_level"),
        col(frame, "topics").str.split(";").list.eval(pl.element().str.strip_chars()).alias("topics"),
        _v(frame, "start_date", pl.Date).alias("start_date"),
        _v(frame, "end_date", pl.Date).alias("end_date"),
        col(frame, "target_group").alias("target_group"),
        col(frame, "place").alias("place"),
        col(frame, "participants")  # "60", "60.0", "45 người", "45 học viên"
        .str.extract(_PARTICIPANTS)
        .cast(pl.Int32, strict=False)
        .alias("participants"),
        extras_json(frame),
        pl.col("_flags").alias("flags"),
    ]


def _class_code(frame: pl.DataFrame, ctx: Context) -> pl.Expr:
    """A plan's class code; in a plan that codes none ("Tên lớp | Đối tượng | Thời gian"), one made of the
    class's name and its first day (or the plan's year), as a roster's title names an uncoded class:
    "BOI-DUONG-KIEN-THUC-QUAN-LY-NHA-NUOC-20241001"."""
    if "class_code" in frame.columns:
        return pl.col("class_code")
    name = fold_expr(col(frame, "class_name")).str.replace_all(" ", "-").str.slice(0, 80).str.to_uppercase()
    day = _v(frame, "start_date", pl.Date).dt.strftime("%Y%m%d")
    if ctx.year:
        day = day.fill_null(pl.lit(str(ctx.year)))
    return pl.concat_str([name, day], separator="-", ignore_nulls=True)


@cache
def _programme() -> tuple[list[str], dict[str, list[str]]]:
    """The 2022-2025 programme's common topics in order, and each title's group topics in order (seeds
    programme_topics and target_groups)."""
    topics = sorted(reference.rows("programme_topics"), key=lambda t: int(t["topic_no"]))
    common = [t["topic_code"] for t in topics if t["target_group"] == "ALL"]
    of_title = {}
    for group in reference.rows("target_groups"):
        own = [t["topic_code"] for t in topics if t["target_group"] == group["target_group"]]
        of_title |= dict.fromkeys(group["title_codes"].split(";"), own)
    return common, of_title


def _topic(frame: pl.DataFrame, column: str) -> pl.Expr:
    """The topic code a roster's topic column stands for: its own ("CĐ UB3"), or the n-th of the programme
    the person follows ("CĐ 7": the third of the group of their post, "CĐ 2": the second common one)."""
    if not column.startswith("topic_no"):
        return pl.lit(column.removeprefix("topic_"))
    n = int(column.removeprefix("topic_no"))
    common, of_title = _programme()
    if n <= len(common):
        return pl.lit(common[n - 1])
    titles = [t for t, own in of_title.items() if n - len(common) <= len(own)]
    codes = [of_title[t][n - len(common) - 1] for t in titles]
    return _v(frame, "title").replace_strict(titles, codes, default=None, return_dtype=pl.Utf8)


def _attended(cell: pl.Expr) -> pl.Expr:
    """A topic's cell says it was attended: anything written but a no ("0", "Vắng", "Không") or a symbol that is
    no mark ("-", "/", an empty box "☐"; "✓" is one)."""
    folded = fold_expr(cell)
    unmarked = (folded == "") & ~cell.str.strip_chars().is_in(vocab.mark_symbols())
    return cell.is_not_null() & ~folded.is_in(vocab.unticked()) & ~unmarked


def _completed(frame: pl.DataFrame, name: str) -> pl.Expr:
    """What each cell of a result or grade column says of the course (``vocab.completed``), read once per value;
    of a score column, its words only ("Vắng"): a mark of 1 or 0 is no verdict there."""
    return each_value(frame, name, vocab.completed if name != "score" else _completed_by_words, pl.Boolean)


def _completed_by_words(text: str | None) -> bool | None:
    return None if text is None or re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", text) else vocab.completed(text)


def _score(cell: pl.Expr) -> pl.Expr:
    """A score as written: "7.5", "7,5", "8,5/10", "8.5 điểm", "Giỏi (8,5)" (the one number in the cell, out of
    ten; a cell of two numbers that are not a score out of ten, "7,5 - 8", says none)."""
    number = cell.str.extract(r"^\D*?(\d{1,3}(?:[.,]\d+)?)(?:\s*/\s*10)?\D*$")
    return number.str.replace(",", ".").cast(pl.Float64, strict=False).round(2)  # a mean mark has two decimals


def roster(frame: pl.DataFrame, ctx: Context) -> list[pl.Expr]:
    topics = sorted(c for c in frame.columns if re.fullmatch(r"topic_(?:[A-Z]{1,2}|no)\d", c))
    attended = (
        pl.concat_list([pl.when(_attended(pl.col(t))).then(_topic(frame, t)) for t in topics])
        .list.drop_nulls()
        .list.unique(maintain_order=True)
        if topics
        else pl.lit(None, pl.List(pl.Utf8))
    )
    # Without a result the grade says it: "Không đạt", "Yếu", "Kém" are not completed, any other grade is, but
    # a course not over ("Bảo lưu", "Hoãn thi")
    grade = col(frame, "grade")
    by_grade = (
        pl.when(grade.is_null() | each_value(frame, "grade", vocab.pending, pl.Boolean).fill_null(False))
        .then(None)
        .otherwise(_completed(frame, "grade").fill_null(True))
    )
    # without either, a certificate's number or date ("Số chứng chỉ"), then a note that says it ("Ghi chú":
    # "Không tốt nghiệp (nợ môn)", "Thôi học")
    extras = {c: c.removeprefix("extra__") for c in frame.columns if c.startswith("extra__")}
    certified = [
        pl.when(pl.col(c).str.contains(r"\d")).then(True) for c, x in extras.items() if vocab.certificate_column(x)
    ]
    notes = [c for c, label in extras.items() if vocab.note_column(label) == "note"]
    return [
        (col(frame, "class_code").fill_null(pl.lit(ctx.class_code, pl.Utf8))).alias("class_code"),
        *_person(frame),
        _v(frame, "citizen_id").alias("citizen_id"),
        col(frame, "citizen_id__flag").alias("citizen_id_flag"),
        *_unit_and_title(frame),
        pl.coalesce(
            _completed(frame, "result"),
            by_grade,
            *certified,
            *(_completed(frame, n) for n in notes),
            _completed(frame, "score"),  # a grade or a word where the score goes: "Giỏi (8,5)", "Vắng"
            pl.lit(ctx.completed, pl.Boolean),  # the title's "đủ điều kiện cấp GCN": only where the row says nothing
        ).alias("completed"),
        _score(col(frame, "score")).alias("score"),
        col(frame, "grade").alias("grade"),
        attended.alias("topics_attended"),
        # the class's name and days: each row's own ("TenLop", "TuNgay"), else the title's (one class a sheet)
        col(frame, "class_name").fill_null(pl.lit(ctx.class_name, pl.Utf8)).alias("class_name"),
        _v(frame, "start_date", pl.Date).fill_null(_day(ctx.class_start)).alias("class_start"),
        _v(frame, "end_date", pl.Date).fill_null(_day(ctx.class_end)).alias("class_end"),
        extras_json(frame),
    ]


def _day(iso: str | None) -> pl.Expr:
    return pl.lit(iso, pl.Utf8).str.to_date("%Y-%m-%d") if iso else pl.lit(None, pl.Date)


# a number of trainings spelled out ("Hai lần", "ba lớp"), folded
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_SPELLED_COUNT = rf"^({'|'.join(_NUMBER_WORDS)})(?: (?:lan|lop|khoa|luot))?$"
# no training at all, in words: "Không", "Chưa", "Không lần nào", "Chưa tham gia lớp nào"
_OPTION = r"^\s*\(?[a-eA-E][.)]\s*"  # a form's option letter kept before the answer ("A. Chưa tham gia", "b) 2 lớp")
_NO_TRAINING = r"^(?:khong|chua)(?: (?:duoc )?(?:tham gia|di hoc|hoc|co))?(?: (?:lan|lop|khoa) nao)?$"


def survey(frame: pl.DataFrame, ctx: Context) -> list[pl.Expr]:
    said = col(frame, "trainings_2016_2020").str.replace(_OPTION, "")  # "B. 1 lớp": the option's letter
    folded = fold_expr(said)
    spelled = folded.str.extract(_SPELLED_COUNT).replace_strict(_NUMBER_WORDS, default=None, return_dtype=pl.Int32)
    trainings = (
        pl.when(folded.str.contains(_NO_TRAINING))
        .then(pl.lit(0, pl.Int32))
        .otherwise(pl.coalesce(said.str.extract(_TRAININGS).cast(pl.Int32, strict=False), spelled))  # "3", "2 lớp"
    )
    return [
        col(frame, "submitted_at").alias("submitted_at"),
        *_person(frame),
        _v(frame, "sex").alias("sex"),
        *_unit_and_title(frame),
        trainings.alias("trainings_2016_2020"),
        # the answer as written where it gives no one number ("1-2 lớp", "Trên 5 lớp": a form's ranges)
        pl.when(trainings.is_null()).then(col(frame, "trainings_2016_2020")).alias("trainings_2016_2020_raw"),
        _v(frame, "improvement").alias("improvement"),
        _raw(frame, "improvement").alias("improvement_raw"),
        _v(frame, "necessity").alias("necessity"),
        _raw(frame, "necessity").alias("necessity_raw"),
        extras_json(frame),
    ]


SELECT = {"hr": hr, "classes": classes, "roster": roster, "survey": survey}
