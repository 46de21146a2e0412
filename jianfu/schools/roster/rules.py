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

from jianfu.accounts.rules.phones import normalize_phone
from jianfu.core.errors import ErrorDetail

# GB 11643-1999 / ISO 7064 MOD 11-2 weights for the first 17 digits of a citizen id.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

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
REQUIRED = ("registry_id", "name", "gender", "birth_date", "grade", "class")
LABELS = {
    "registry_id": "学籍号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "grade": "年级",
    "class": "班级",
    "seat": "学号",
    "guardian_name": "监护人姓名",
    "guardian_phone": "监护人手机号",
    "relation": "与学生关系",
    "guardian2_name": "监护人2姓名",
    "guardian2_phone": "监护人2手机号",
    "relation2": "监护人2关系",
}

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
JUNIOR_NAMES = {"初一": 7, "初二": 8, "初三": 9, "初四": 9}


def clean(value: Any) -> str:
    """NFKC (full-width → ASCII), all kinds of space removed at the ends and inside numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return text.replace("\u00a0", " ").replace("\u3000", " ").strip()


def _header_key(value: Any) -> str:
    return re.sub(r"[\s*＊:：()（）]", "", clean(value))


def registry_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class RegistryCheck:
    value: str
    verified: bool
    birth_date: date | None
    error_zh: str = ""
    error_en: str = ""
    # "M"/"F" from the citizen id's 17th digit; None when the number is not a citizen id.
    sex: str | None = None


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
        return RegistryCheck("", False, None, "学籍号为空", "Registry number is empty")
    if text.startswith("G"):
        body = text[1:]
        if not re.fullmatch(r"\d{17}[\dX]", body):
            return RegistryCheck(
                text,
                False,
                None,
                "学籍号格式错误（G后应为18位身份证号）",
                "Malformed registry number (G + 18-character id expected)",
            )
        if registry_check_digit(body[:17]) != body[17]:
            return RegistryCheck(
                text, False, None, "学籍号校验位错误", "Registry number check digit is wrong"
            )
        try:
            born = datetime.strptime(body[6:14], "%Y%m%d").date()
        except ValueError:
            return RegistryCheck(
                text, False, None, "学籍号中的出生日期无效", "Invalid birth date inside the registry number"
            )
        return RegistryCheck(text, True, born, sex=sex_from_citizen_id(body))
    if re.fullmatch(r"[A-Z]\d{9,19}[\dX]?", text):
        return RegistryCheck(text, False, None)
    return RegistryCheck(text, False, None, "学籍号格式错误", "Malformed registry number")


def parse_gender(raw: Any) -> str | None:
    text = clean(raw).upper()
    return {
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
    }.get(text)


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
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+[\d:]+)?", text)
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
    if len(text) == 2 and text[0] == "十" and text[1] in CN_DIGITS:
        return 10 + CN_DIGITS[text[1]]
    return None


def parse_grade(raw: Any) -> int | None:
    text = clean(raw).replace(" ", "")
    if text in JUNIOR_NAMES:
        return JUNIOR_NAMES[text]
    text = re.sub(r"年级$|年$", "", text)
    n = _cn_number(text)
    return n if n is not None and 1 <= n <= 12 else None


def parse_class(raw: Any) -> int | None:
    """(2)班, （2）班, 2班, 2, 02, 二班, 三年级(2)班 → 2."""
    text = clean(raw).replace(" ", "")
    m = re.search(r"[(（]\s*(\d+|[一二三四五六七八九十]+)\s*[)）]", text)
    token = m.group(1) if m else re.sub(r"^.*年级", "", text)
    token = re.sub(r"班$", "", token)
    n = _cn_number(token)
    return n if n is not None and 1 <= n <= 99 else None


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
            raise ValueError("无法识别文件编码（请另存为 UTF-8 或 GBK 编码的 CSV）")
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise ValueError("只支持 .xlsx 或 .csv 文件")


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


def _err(errors: list[ErrorDetail], row: int, fld: str, zh: str, en: str, code: str) -> None:
    errors.append(
        ErrorDetail(
            f"第{row}行 {LABELS.get(fld, fld)}：{zh}", f"Row {row} {fld}: {en}", row=row, field=fld, code=code
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
                "找不到表头：文件中须有“学籍号”“姓名”等列",
                "No header row with 学籍号 and 姓名 found",
                code="roster_no_header",
            )
        )
        return ParsedRoster([], errors, 0)
    header_index, columns = header
    missing = [LABELS[k] for k in REQUIRED if k not in columns]
    if missing:
        errors.append(
            ErrorDetail(
                f"缺少必需的列：{'、'.join(missing)}",
                f"Missing columns: {', '.join(missing)}",
                row=header_index + 1,
                code="roster_missing_columns",
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
        if reg.error_zh:
            _err(errors, row_no, "registry_id", reg.error_zh, reg.error_en, "registry_id_invalid")
        elif reg.value in seen:
            _err(
                errors,
                row_no,
                "registry_id",
                f"重复学生（与第{seen[reg.value]}行学籍号相同）",
                f"duplicate student (same as row {seen[reg.value]})",
                "duplicate_student",
            )
        elif reg.value in registered_elsewhere:
            _err(
                errors,
                row_no,
                "registry_id",
                "重复学生（该学籍号已在其他学校登记，请先办理转学）",
                "duplicate student (enrolled at another school)",
                "enrolled_elsewhere",
            )
        if reg.value and reg.value not in seen:
            seen[reg.value] = row_no
        name = re.sub(r"\s+", "", clean(cell(row, "name")))
        if not name:
            _err(errors, row_no, "name", "必填项缺失", "required", "required")
        elif len(name) > 50:
            _err(errors, row_no, "name", "姓名过长", "name too long", "too_long")
        gender = parse_gender(cell(row, "gender"))
        if gender is None:
            _err(
                errors,
                row_no,
                "gender",
                f"性别无法识别：“{clean(cell(row, 'gender'))}”（应为男/女）",
                "unrecognised gender",
                "gender_invalid",
            )
        elif reg.sex is not None and gender != reg.sex:
            _err(
                errors,
                row_no,
                "gender",
                "性别与学籍号不符（学籍号第17位数字为"
                + ("奇数，应为男）" if reg.sex == "M" else "偶数，应为女）"),
                "sex does not match the registry number (its 17th digit is "
                + ("odd: male)" if reg.sex == "M" else "even: female)"),
                "gender_mismatch",
            )
        born = parse_date(cell(row, "birth_date"))
        if born is None:
            _err(
                errors,
                row_no,
                "birth_date",
                f"出生日期格式错误：“{clean(cell(row, 'birth_date'))}”",
                "unreadable birth date",
                "birth_date_invalid",
            )
        elif reg.birth_date is not None and born != reg.birth_date:
            _err(
                errors,
                row_no,
                "birth_date",
                f"出生日期与学籍号不符（学籍号中为{reg.birth_date.isoformat()}）",
                "birth date does not match the registry number",
                "birth_date_mismatch",
            )
        grade = parse_grade(cell(row, "grade"))
        class_no = parse_class(cell(row, "class"))
        if grade is None or grade not in grades:
            _err(
                errors,
                row_no,
                "grade",
                f"年级不存在：“{clean(cell(row, 'grade'))}”",
                "grade not found in this school",
                "grade_not_found",
            )
        elif class_no is None:
            _err(
                errors,
                row_no,
                "class",
                f"班级无法识别：“{clean(cell(row, 'class'))}”",
                "unreadable class",
                "class_invalid",
            )
        elif (grade, class_no) not in classes and not create_classes:
            _err(
                errors,
                row_no,
                "class",
                f"班级不存在：{grade}年级({class_no})班",
                "class not found in this school",
                "class_not_found",
            )
        seat_text = clean(cell(row, "seat"))
        seat = int(seat_text) if seat_text.isdigit() and 1 <= int(seat_text) <= 200 else None
        if seat_text and seat is None:
            _err(
                errors,
                row_no,
                "seat",
                f"学号应为1至200的整数：“{seat_text}”",
                "the class number (学号) must be a whole number from 1 to 200",
                "seat_invalid",
            )
        elif seat is not None and grade is not None and class_no is not None:
            if (grade, class_no, seat) in seats:
                _err(
                    errors,
                    row_no,
                    "seat",
                    f"学号重复（与第{seats[(grade, class_no, seat)]}行同班同学号）",
                    f"duplicate class number (same class and number as row {seats[(grade, class_no, seat)]})",
                    "seat_duplicate",
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
                    "手机号格式错误（应为11位手机号）",
                    "invalid mobile number",
                    "phone_invalid",
                )
                continue
            guardians.append((g_name or "监护人", phone, clean(cell(row, rel_key))[:16]))
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
        errors.append(ErrorDetail("文件中没有学生数据", "The file has no student rows", code="roster_empty"))
    return ParsedRoster(out, errors, total)
