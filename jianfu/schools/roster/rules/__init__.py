"""Roster files as schools export them from the national student registry: reading, normalising,
validating. Pure: no ORM (the service passes in what the database knows).

Tolerates what real spreadsheets contain: full-width digits and letters, stray spaces (including
U+3000 and NBSP), Excel date serials, 男/女/M/F/1/2, title or merged rows above the header,
phone numbers rendered as floats, CSV in UTF-8 (with or without BOM) or GBK.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jianfu.accounts.rules.phones import normalize_phone
from jianfu.core.errors import ErrorDetail, Phrase
from jianfu.schools.roster.rules.words import (
    CLASS_IN_BRACKETS,
    CLASS_SUFFIX,
    CN_DIGITS,
    COLUMNS,
    DATE,
    GENDERS,
    GRADE_SUFFIX,
    GUARDIAN_UNNAMED,
    HEADER,
    HEADER_LIST_SEPARATOR,
    HEADER_NOISE,
    HEADER_QUOTED,
    JUNIOR_NAMES,
    TEN,
    UP_TO_GRADE,
)

# GB 11643-1999 / ISO 7064 MOD 11-2 weights for the first 17 digits of a citizen id.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

REQUIRED = ("registry_id", "name", "gender", "birth_date", "grade", "class")
# The fields as a person reads them (errors, the preview table's headings).
LABELS = {
    "registry_id": _("学籍号"),
    "name": _("姓名"),
    "gender": _("性别"),
    "birth_date": _("出生日期"),
    "grade": _("年级"),
    "class": _("班级"),
    "seat": _("学号"),
    "guardian_name": _("监护人姓名"),
    "guardian_phone": _("监护人手机号"),
    "relation": _("与学生关系"),
    "guardian2_name": _("监护人2姓名"),
    "guardian2_phone": _("监护人2手机号"),
    "relation2": _("监护人2关系"),
}


def clean(value: Any) -> str:
    """NFKC (full-width → ASCII), all kinds of space removed at the ends and inside numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace("\u00a0", " ").replace("\u3000", " ").strip()


def _header_key(value: Any) -> str:
    return HEADER_NOISE.sub("", clean(value))


def registry_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class RegistryCheck:
    value: str
    verified: bool
    birth_date: date | None
    error: Promise | None = None
    # "M"/"F" from the citizen id's 17th digit; None when the number is not a citizen id.
    sex: str | None = None

    @property
    def error_zh(self) -> str:
        return _in(self.error, "zh-hans")

    @property
    def error_en(self) -> str:
        return _in(self.error, "en")


def _in(message: Promise | None, language: str) -> str:
    if message is None:
        return ""
    with translation.override(language):
        return str(message)


def sex_from_citizen_id(id18: str) -> str:
    """GB 11643-1999 §5.3: the 17th character (last of the 3-digit order code) is odd for men and
    even for women."""
    return "M" if int(id18[16]) % 2 == 1 else "F"


def check_registry_id(raw: Any) -> RegistryCheck:
    """A 学籍号 (教育部《中小学生学籍管理办法》, 全国学籍号): `G` + the pupil's 18-character citizen id
    (GB 11643-1999) is checked — check digit, embedded birth date, and the sex its 17th digit gives,
    which the caller compares with the 性别 column. Other letter prefixes (`L` for a number the
    registry assigned to a child without a citizen id, `J` and the like) embed nothing that can be
    checked: format only, never `verified`, no birth-date or sex comparison."""
    text = re.sub(r"\s", "", clean(raw)).upper()
    if not text:
        return RegistryCheck("", False, None, _("学籍号为空"))
    if text.startswith("G"):
        body = text[1:]
        if not re.fullmatch(r"\d{17}[\dX]", body):
            return RegistryCheck(text, False, None, _("学籍号格式错误（G后应为18位身份证号）"))
        if registry_check_digit(body[:17]) != body[17]:
            return RegistryCheck(text, False, None, _("学籍号校验位错误"))
        try:
            born = datetime.strptime(body[6:14], "%Y%m%d").date()
        except ValueError:
            return RegistryCheck(text, False, None, _("学籍号中的出生日期无效"))
        return RegistryCheck(text, True, born, sex=sex_from_citizen_id(body))
    if re.fullmatch(r"[A-Z]\d{9,19}[\dX]?", text):
        return RegistryCheck(text, False, None)
    return RegistryCheck(text, False, None, _("学籍号格式错误"))


def parse_gender(raw: Any) -> str | None:
    text = clean(raw).upper()
    return GENDERS.get(text)


_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1000 < raw < 80000:  # an Excel serial date (1902–2119)
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raw = str(int(raw))
    text = clean(raw)
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    m = DATE.fullmatch(text)
    if m is None:
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in CN_DIGITS:
        return CN_DIGITS[text]
    if len(text) == 2 and text[0] == TEN and text[1] in CN_DIGITS:
        return 10 + CN_DIGITS[text[1]]
    return None


def parse_grade(raw: Any) -> int | None:
    text = clean(raw).replace(" ", "")
    if text in JUNIOR_NAMES:
        return JUNIOR_NAMES[text]
    text = GRADE_SUFFIX.sub("", text)
    n = _cn_number(text)
    return n if n is not None and 1 <= n <= 12 else None


def parse_class(raw: Any) -> int | None:
    """(2)班, （2）班, 2班, 2, 02, 二班, 三年级(2)班 → 2."""
    text = clean(raw).replace(" ", "")
    m = CLASS_IN_BRACKETS.search(text)
    token = m.group(1) if m else UP_TO_GRADE.sub("", text)
    token = CLASS_SUFFIX.sub("", token)
    n = _cn_number(token)
    return n if n is not None and 1 <= n <= 99 else None


class UnreadableFile(ValueError):
    """A file that cannot be read as a roster; `message` says why, for the person who uploaded it."""

    def __init__(self, message: Promise) -> None:
        super().__init__(str(message))
        self.message = message


def read_rows(filename: str, content: bytes) -> list[list[Any]]:
    """All rows of the first sheet (xlsx/xls/ods) or of a CSV file, as lists of cell values."""
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        return [list(r) for r in sheet.to_python(skip_empty_area=False)]
    if lower.endswith((".csv", ".txt")):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnreadableFile(_("无法识别文件编码（请另存为 UTF-8 或 GBK 编码的 CSV）"))
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise UnreadableFile(_("只支持 .xlsx 或 .csv 文件"))


def find_header(rows: list[list[Any]], scan: int = 15) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and the column index of each known field; title rows above are skipped."""
    aliases = {alias: key for key, names in COLUMNS.items() for alias in names}
    for i, row in enumerate(rows[:scan]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = aliases.get(_header_key(cell))
            if key and key not in found:
                found[key] = j
        if "registry_id" in found and "name" in found:
            return i, found
    return None


@dataclass
class RosterRow:
    row: int  # the spreadsheet's own row number, as the user sees it
    registry_id: str
    verified: bool
    name: str
    gender: str
    birth_date: date
    grade: int
    class_number: int
    guardians: list[tuple[str, str, str]] = field(default_factory=list)  # (name, phone, relation)
    seat: int | None = None  # 班内学号, when the roster has the column


@dataclass
class ParsedRoster:
    rows: list[RosterRow]
    errors: list[ErrorDetail]
    total_rows: int


def _err(
    errors: list[ErrorDetail],
    row: int,
    fld: str,
    problem: Promise,
    code: str,
    params: dict[str, Any] | None = None,
) -> None:
    errors.append(
        ErrorDetail(
            _("第%(row)s行 %(field)s：%(problem)s"),
            row=row,
            field=fld,
            code=code,
            params={"row": row, "field": LABELS.get(fld, fld), "problem": Phrase(problem, params)},
        )
    )


def _cells(rows: Iterable[list[Any]], start: int) -> Iterator[tuple[int, list[Any]]]:
    for offset, row in enumerate(rows):
        yield start + offset, row


def parse_roster(
    rows: list[list[Any]],
    *,
    grades: set[int],
    classes: Mapping[tuple[int, int], Any],
    registered_elsewhere: set[str],
    create_classes: bool = False,
) -> ParsedRoster:
    """Validate every row; never stop at the first problem, so the school can fix them all at once.

    `classes` maps (grade, class number) of this school to anything truthy; `registered_elsewhere`
    holds 学籍号 already enrolled at another school.
    """
    errors: list[ErrorDetail] = []
    header = find_header(rows)
    if header is None:
        errors.append(
            ErrorDetail(
                _("找不到表头：文件中须有%(columns)s等列"),
                code="roster_no_header",
                params={"columns": "".join(HEADER_QUOTED.format(HEADER[k]) for k in ("registry_id", "name"))},
            )
        )
        return ParsedRoster([], errors, 0)
    header_index, columns = header
    # The columns are named as the file must name them (the registry's Chinese headers).
    missing = [HEADER[k] for k in REQUIRED if k not in columns]
    if missing:
        errors.append(
            ErrorDetail(
                _("缺少必需的列：%(columns)s"),
                row=header_index + 1,
                code="roster_missing_columns",
                params={"columns": HEADER_LIST_SEPARATOR.join(missing)},
            )
        )
        return ParsedRoster([], errors, 0)

    def cell(row: list[Any], key: str) -> Any:
        j = columns.get(key)
        return row[j] if j is not None and j < len(row) else None

    out: list[RosterRow] = []
    seen: dict[str, int] = {}
    seats: dict[tuple[int, int, int], int] = {}  # (grade, class, 学号) → the first row that had it
    total = 0
    for row_no, row in _cells(rows[header_index + 1 :], header_index + 2):
        if all(clean(c) == "" for c in row):
            continue
        total += 1
        before = len(errors)
        reg = check_registry_id(cell(row, "registry_id"))
        if reg.error is not None:
            _err(errors, row_no, "registry_id", reg.error, "registry_id_invalid")
        elif reg.value in seen:
            _err(
                errors,
                row_no,
                "registry_id",
                _("重复学生（与第%(first)s行学籍号相同）"),
                "duplicate_student",
                {"first": seen[reg.value]},
            )
        elif reg.value in registered_elsewhere:
            _err(
                errors,
                row_no,
                "registry_id",
                _("重复学生（该学籍号已在其他学校登记，请先办理转学）"),
                "enrolled_elsewhere",
            )
        if reg.value and reg.value not in seen:
            seen[reg.value] = row_no
        name = re.sub(r"\s+", "", clean(cell(row, "name")))
        if not name:
            _err(errors, row_no, "name", _("必填项缺失"), "required")
        elif len(name) > 50:
            _err(errors, row_no, "name", _("姓名过长"), "too_long")
        gender = parse_gender(cell(row, "gender"))
        if gender is None:
            _err(
                errors,
                row_no,
                "gender",
                _("性别无法识别：“%(value)s”（应为男/女）"),
                "gender_invalid",
                {"value": clean(cell(row, "gender"))},
            )
        elif reg.sex is not None and gender != reg.sex:
            _err(
                errors,
                row_no,
                "gender",
                _("性别与学籍号不符（学籍号第17位数字为奇数，应为男）")
                if reg.sex == "M"
                else _("性别与学籍号不符（学籍号第17位数字为偶数，应为女）"),
                "gender_mismatch",
            )
        born = parse_date(cell(row, "birth_date"))
        if born is None:
            _err(
                errors,
                row_no,
                "birth_date",
                _("出生日期格式错误：“%(value)s”"),
                "birth_date_invalid",
                {"value": clean(cell(row, "birth_date"))},
            )
        elif reg.birth_date is not None and born != reg.birth_date:
            _err(
                errors,
                row_no,
                "birth_date",
                _("出生日期与学籍号不符（学籍号中为%(date)s）"),
                "birth_date_mismatch",
                {"date": reg.birth_date.isoformat()},
            )
        grade = parse_grade(cell(row, "grade"))
        class_no = parse_class(cell(row, "class"))
        if grade is None or grade not in grades:
            _err(
                errors,
                row_no,
                "grade",
                _("年级不存在：“%(value)s”"),
                "grade_not_found",
                {"value": clean(cell(row, "grade"))},
            )
        elif class_no is None:
            _err(
                errors,
                row_no,
                "class",
                _("班级无法识别：“%(value)s”"),
                "class_invalid",
                {"value": clean(cell(row, "class"))},
            )
        elif (grade, class_no) not in classes and not create_classes:
            _err(
                errors,
                row_no,
                "class",
                _("班级不存在：%(grade)s年级(%(class)s)班"),
                "class_not_found",
                {"grade": grade, "class": class_no},
            )
        seat_text = clean(cell(row, "seat"))
        seat = int(seat_text) if seat_text.isdigit() and 1 <= int(seat_text) <= 200 else None
        if seat_text and seat is None:
            _err(
                errors,
                row_no,
                "seat",
                _("学号应为1至200的整数：“%(value)s”"),
                "seat_invalid",
                {"value": seat_text},
            )
        elif seat is not None and grade is not None and class_no is not None:
            if (grade, class_no, seat) in seats:
                _err(
                    errors,
                    row_no,
                    "seat",
                    _("学号重复（与第%(first)s行同班同学号）"),
                    "seat_duplicate",
                    {"first": seats[(grade, class_no, seat)]},
                )
            else:
                seats[(grade, class_no, seat)] = row_no
        guardians: list[tuple[str, str, str]] = []
        for name_key, phone_key, rel_key in (
            ("guardian_name", "guardian_phone", "relation"),
            ("guardian2_name", "guardian2_phone", "relation2"),
        ):
            g_name = re.sub(r"\s+", "", clean(cell(row, name_key)))
            g_phone_raw = clean(cell(row, phone_key))
            if not g_name and not g_phone_raw:
                continue
            phone = normalize_phone(g_phone_raw)
            if phone is None:
                _err(
                    errors,
                    row_no,
                    phone_key,
                    _("手机号格式错误（应为11位手机号）"),
                    "phone_invalid",
                )
                continue
            guardians.append((g_name or GUARDIAN_UNNAMED, phone, clean(cell(row, rel_key))[:16]))
        if len(errors) == before:
            assert born is not None and gender is not None and grade is not None and class_no is not None
            # Verified only when everything the citizen id carries agrees with the row: check digit
            # (reg.verified), birth date and sex. A row that disagrees has an error above and is not
            # imported at all; the comparison is repeated here so the flag can never outrun the checks.
            verified = reg.verified and born == reg.birth_date and gender == reg.sex
            out.append(
                RosterRow(row_no, reg.value, verified, name, gender, born, grade, class_no, guardians, seat)
            )
    if total == 0 and not errors:
        errors.append(ErrorDetail(_("文件中没有学生数据"), code="roster_empty"))
    return ParsedRoster(out, errors, total)
