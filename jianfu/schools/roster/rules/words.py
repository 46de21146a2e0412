"""The Chinese a roster is matched against, kept apart from the import's messages.

Schools export rosters from the national student registry with Chinese column headers and cells
(年级 "三年级", 班级 "(2)班", 性别 "男"): these tables and patterns read them whatever the page's
language. The header named first for each field is the one a template file should use.
"""

from __future__ import annotations

import re

__i18n_data__ = "column headers and cell words matched against schools' spreadsheets"

COLUMNS: dict[str, tuple[str, ...]] = {
    "registry_id": ("学籍号", "全国学籍号", "学生学籍号", "学籍编号", "全国学籍号码"),
    "name": ("姓名", "学生姓名"),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月日", "出生年月", "生日"),
    "grade": ("年级", "所在年级"),
    "class": ("班级", "班号", "所在班级", "班"),
    "seat": ("学号", "班内学号", "班级学号", "座号"),
    "guardian_name": ("监护人姓名", "家长姓名", "监护人", "家长", "监护人1姓名", "联系人"),
    "guardian_phone": (
        "监护人手机号",
        "监护人电话",
        "家长手机号",
        "家长电话",
        "联系电话",
        "手机号码",
        "手机号",
        "联系方式",
        "监护人1手机号",
        "监护人1电话",
        "监护人联系电话",
    ),
    "relation": ("与学生关系", "关系", "监护人关系", "监护人1关系"),
    "guardian2_name": ("监护人2姓名", "家长2姓名"),
    "guardian2_phone": ("监护人2手机号", "监护人2电话", "家长2手机号", "家长2电话"),
    "relation2": ("监护人2关系", "与学生关系2"),
}

# The header a file must have for a field (the first alias), as named in "missing column" errors.
HEADER = {key: names[0] for key, names in COLUMNS.items()}
HEADER_LIST_SEPARATOR = "、"
HEADER_QUOTED = "“{}”"

GENDERS = {
    "男": "M",
    "男性": "M",
    "M": "M",
    "MALE": "M",
    "1": "M",
    "女": "F",
    "女性": "F",
    "F": "F",
    "FEMALE": "F",
    "2": "F",
}

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
TEN = "十"
JUNIOR_NAMES = {"初一": 7, "初二": 8, "初三": 9, "初四": 9}

DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+[\d:]+)?")
GRADE_SUFFIX = re.compile(r"年级$|年$")
CLASS_IN_BRACKETS = re.compile(r"[(（]\s*(\d+|[一二三四五六七八九十]+)\s*[)）]")
UP_TO_GRADE = re.compile(r"^.*年级")
CLASS_SUFFIX = re.compile(r"班$")
HEADER_NOISE = re.compile(r"[\s*＊:：()（）]")

# The name stored for a guardian the roster lists with a phone but no name.
GUARDIAN_UNNAMED = "监护人"
