"""Pools of Vietnamese names and ethnicities for the sample province.

Every letter here is encodable in TCVN3 (no upper-case toned initials): one district types its
workbook in that legacy encoding, and a person may transfer into it.
"""

from __future__ import annotations

import random

FAMILY = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Phan", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Đinh", 1),
    ("Đoàn", 1),
    ("Lương", 1),
    ("Mạc", 1),
    ("Tô", 1),
    ("Vi", 1),
    ("Chu", 1),
    ("Lục", 1),
    ("Nông", 1),
    ("Triệu", 1),
    ("Hà", 1),
    ("Bàn", 1),
    ("Chíu", 1),
)
MIDDLE = {
    "Nam": (
        "Văn",
        "Văn",
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Thanh",
        "Ngọc",
        "Xuân",
        "Công",
        "Mạnh",
        "Tiến",
        "Duy",
        "Hồng",
        "Trung",
        "Anh",
        "Đình",
        "Bá",
    ),
    "Nữ": (
        "Thị",
        "Thị",
        "Thị",
        "Thu",
        "Thanh",
        "Ngọc",
        "Minh",
        "Hồng",
        "Thùy",
        "Phương",
        "Kim",
        "Lan",
        "Mai",
        "Bích",
        "Thúy",
    ),
}
GIVEN = {
    "Nam": (
        "Hùng",
        "Dũng",
        "Cường",
        "Tuấn",
        "Thắng",
        "Long",
        "Hải",
        "Hưng",
        "Nam",
        "Sơn",
        "Trung",
        "Quân",
        "Bình",
        "Hòa",
        "Thành",
        "Tùng",
        "Phong",
        "Hiếu",
        "Khánh",
        "Lâm",
        "Toàn",
        "Thịnh",
        "Vinh",
        "Hoàng",
        "Kiên",
        "Đạt",
        "Huy",
        "Tâm",
        "Thủy",
        "Luận",
        "Hiển",
        "Nghĩa",
        "Chiến",
        "Thái",
        "Quyết",
        "Phúc",
        "Hậu",
        "Đông",
        "Tú",
        "Quý",
        "Khoa",
        "Lợi",
        "Thuận",
        "Hòa",
    ),
    "Nữ": (
        "Hương",
        "Lan",
        "Hà",
        "Hoa",
        "Mai",
        "Linh",
        "Thảo",
        "Trang",
        "Hằng",
        "Nga",
        "Thủy",
        "Yến",
        "Hạnh",
        "Phương",
        "Loan",
        "Dung",
        "Huyền",
        "Nhung",
        "Thúy",
        "Hòa",
        "Liên",
        "Ngọc",
        "Oanh",
        "Vân",
        "Hiền",
        "Tuyết",
        "Quỳnh",
        "Thu",
        "Giang",
        "Duyên",
        "Thoa",
        "Xoan",
        "Hoài",
    ),
}
# Ethnic mix by district code (GSO); the rest of the province is overwhelmingly Kinh.
ETHNIC_MIX = {
    "198": (("Tày", 35), ("Dao", 20), ("Sán Chỉ", 20), ("Kinh", 25)),
    "199": (("Kinh", 55), ("Tày", 15), ("Dao", 15), ("Sán Dìu", 10), ("Sán Chỉ", 5)),
    "202": (("Kinh", 45), ("Dao", 30), ("Tày", 15), ("Sán Chỉ", 10)),
    "200": (("Kinh", 70), ("Dao", 15), ("Tày", 10), ("Sán Dìu", 5)),
    "201": (("Kinh", 70), ("Dao", 10), ("Tày", 10), ("Hoa", 5), ("Sán Dìu", 5)),
}
DEFAULT_MIX = (("Kinh", 96), ("Tày", 2), ("Hoa", 1), ("Sán Dìu", 1))


def weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=False)
    return rng.choices(values, weights=weights)[0]


def full_name(rng: random.Random, sex: str) -> str:
    return f"{weighted(rng, FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def ethnicity(rng: random.Random, district_code: str) -> str:
    return weighted(rng, ETHNIC_MIX.get(district_code, DEFAULT_MIX))
