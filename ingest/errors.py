"""Typed reasons: a rejected file or a quarantined row always says why, in a code and in plain words."""

from __future__ import annotations


class FileRejected(Exception):
    """The whole file is refused; nothing of it is loaded. ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# Row reason codes (quarantine.rows.reasons). The sample's ground truth uses the same words.
ROW_REASONS = {
    "missing_name": "no full name",
    "missing_dob": "no date of birth",
    "invalid_date": "a date that does not exist or cannot be read",
    "ambiguous_date": "a date whose century or day/month order cannot be decided",
    "dob_in_future": "date of birth after the reporting date",
    "dob_implausible": "age outside 16-80 on the reporting date",
    "invalid_citizen_id": "citizen ID is not 12 digits with a real province code, nor an old 9-digit ID",
    "missing_title": "no title (post) written",
    "unknown_title": "title not among the commune cadre and civil-servant titles",
    "ambiguous_title": "a title that could be two posts (the candidates are named): never guessed",
    "missing_commune": "no commune written, and no commune heading above the row",
    "unknown_commune": "commune not found in the district",
    "ambiguous_commune": "a commune name two units of the district share (Thị trấn and Xã Đầm Hà): the kind decides",
    "unmapped_value": "a survey answer not on the survey's scale",
    "duplicate_row": "exact repeat of an earlier row of the file",
    "person_conflict": "two different rows for the same person in one file",
    "post_ended": "the post was given up on or before the reporting date (a column 'Đến ngày', or a note such as "
    "'Nghỉ hưu từ 01/10/2022', 'Đã chuyển công tác')",
    "several_people": "two people or more in one row, a name a line: never loaded as one",
    "formula_error": "a cell showing a spreadsheet formula's error (#N/A, #REF!, #VALUE!) instead of its value",
    "missing_class_code": "no class code",
    "unknown_class": "class code not in any loaded class list",
}
