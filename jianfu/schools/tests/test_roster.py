"""Roster import: all-or-nothing, every fault reported with its spreadsheet row, tolerant parsing."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from conftest import PERSONAS
from jianfu.core.actors import SystemActor
from jianfu.core.errors import NotFound, PermissionDenied
from jianfu.schools.models import Guardian, SchoolClass, Student
from jianfu.schools.roster.rules import check_registry_id, parse_class, parse_date, parse_gender, parse_grade
from jianfu.schools.roster.services import (
    RosterError,
    roster_import,
    roster_upload_confirm,
    roster_upload_create,
)

pytestmark = pytest.mark.django_db


def gid(region6: str, born: str, seq3: str) -> str:
    """A G-prefixed 学籍号 with the right ISO 7064 MOD 11-2 check digit, computed independently."""
    body = region6 + born + seq3
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    return "G" + body + "10X98765432"[total % 11]


def test_check_digit_against_hand_computed_ids():
    # 11010519491231002X is the GB 11643 standard's own example id (check character X).
    assert check_registry_id("G11010519491231002X").verified
    assert check_registry_id("G110105194912310021").error_zh == "学籍号校验位错误"
    # Full-width letters and digits with spaces are normalised first.
    assert check_registry_id("Ｇ１１０１０５１９４９１２３１００２Ｘ ").verified
    assert check_registry_id("L2015000000000002").verified is False
    assert check_registry_id("L2015000000000002").error_zh == ""
    assert check_registry_id("12345").error_zh == "学籍号格式错误"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (42070, date(2015, 3, 7)),
        ("42070", date(2015, 3, 7)),
        ("2015-03-07", date(2015, 3, 7)),
        ("2015/3/7", date(2015, 3, 7)),
        ("2015年3月7日", date(2015, 3, 7)),
        ("20150307", date(2015, 3, 7)),
        ("２０１５－０３－０７", date(2015, 3, 7)),
        ("2015-02-30", None),
        ("明天", None),
    ],
)
def test_dates(raw, expected):
    # Excel serial 42070 = 2015-03-07 (days since 1899-12-30).
    assert parse_date(raw) == expected


def test_gender_grade_class_forms():
    assert [parse_gender(x) for x in ("男", "女", "M", "f", "男性", "1", "2", "?")] == [
        "M",
        "F",
        "M",
        "F",
        "M",
        "M",
        "F",
        None,
    ]
    assert [parse_grade(x) for x in ("三年级", "3", "三", "初一", "七年级", "十三")] == [3, 3, 3, 7, 7, None]
    assert [parse_class(x) for x in ("(2)班", "（2）班", "2班", "2", "02", "二班", "三年级(2)班")] == [2] * 7


HEADER = ["学籍号", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名", "监护人手机号", "与学生关系"]


def good_rows():
    return [
        [
            gid("440106", "20150307", "101"),
            "林一",
            "男",
            "2015-03-07",
            "五年级",
            "(1)班",
            "林父",
            "13811110001",
            "父亲",
        ],
        [
            gid("440106", "20150512", "102"),
            "林二",
            "女",
            "2015/5/12",
            "5",
            "1",
            "林母",
            "13811110002",
            "母亲",
        ],
        ["L2015000000000077", "王三", "M", "20150801", "三", "1班", "王父", "138 1111 0003", "父亲"],
    ]


def csv_bytes(rows, title=True, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow(["天河区第一实验小学 2026年秋季学期 学生名册", "", ""])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, title=True):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["天河区第一实验小学 学生名册"])
        ws.merge_cells("A1:I1")
    ws.append(
        ["学籍号 ", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名", "监护人手机号", "与学生关系"]
    )
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def faulty_rows(world):
    existing_elsewhere = gid("440104", "20150101", "009")
    Student.objects.create(
        school=world.other_school,
        school_class=world.other_class,
        registry_id=existing_elsewhere,
        name="外校生",
        gender="M",
        birth_date=date(2015, 1, 1),
    )
    ok = good_rows()
    bad_check = gid("440106", "20150307", "201")[:-1] + (
        "1" if gid("440106", "20150307", "201")[-1] != "1" else "2"
    )
    return ok + [
        [bad_check, "错校验", "男", "2015-03-07", "5", "1", "", "", ""],  # row 6: 学籍号校验位错误
        [
            gid("440106", "20150307", "202"),
            "生日错",
            "女",  # order code 202: even 17th digit, so the sex agrees and only the date is wrong
            "2015-03-08",
            "5",
            "1",
            "",
            "",
            "",
        ],  # row 7: 出生日期与学籍号不符
        [ok[0][0], "重复", "男", "2015-03-07", "5", "1", "", "", ""],  # row 8: 重复学生 (row 3)
        [
            gid("440106", "20150307", "203"),
            "无班",
            "男",
            "2015-03-07",
            "5",
            "9",
            "",
            "",
            "",
        ],  # row 9: 班级不存在
        [
            gid("440106", "20150307", "204"),
            "错号",
            "女",
            "2015-03-07",
            "5",
            "1",
            "家长",
            "1381111",
            "",
        ],  # row 10: 手机号
        [
            gid("440106", "20150307", "205"),
            "",
            "X",
            "",
            "十三",
            "1",
            "",
            "",
            "",
        ],  # row 11: name, gender, date, grade
        [existing_elsewhere, "外校", "男", "2015-01-01", "5", "1", "", "", ""],  # row 12: enrolled elsewhere
    ]


EXPECTED_FAULTS = {
    (6, "registry_id", "学籍号校验位错误"),
    (7, "birth_date", "出生日期与学籍号不符"),
    (8, "registry_id", "重复学生"),
    (9, "class", "班级不存在"),
    (10, "guardian_phone", "手机号格式错误"),
    (11, "name", "必填项缺失"),
    (11, "gender", "性别无法识别"),
    (11, "birth_date", "出生日期格式错误"),
    (11, "grade", "年级不存在"),
    (12, "registry_id", "重复学生"),
}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_full_of_faults_writes_nothing_and_reports_every_fault(world, kind):
    rows = faulty_rows(world)
    content = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    before = (Student.objects.count(), Guardian.objects.count())
    with pytest.raises(RosterError) as exc:
        roster_import(
            actor=world.users["academic"], school=world.school, filename=f"r.{kind}", content=content
        )
    assert (Student.objects.count(), Guardian.objects.count()) == before
    found = {(d.row, d.field) for d in exc.value.details}
    assert found == {(row, field) for row, field, _ in EXPECTED_FAULTS}
    for row, field, text in EXPECTED_FAULTS:
        detail = next(d for d in exc.value.details if (d.row, d.field) == (row, field))
        assert text in detail.message_zh and f"第{row}行" in detail.message_zh


@pytest.mark.parametrize("kind", ["csv", "xlsx", "gbk"])
def test_good_file_imports_then_reimport_changes_nothing(world, kind):
    rows = good_rows()
    content = {
        "csv": lambda: csv_bytes(rows),
        "xlsx": lambda: xlsx_bytes(rows),
        "gbk": lambda: csv_bytes(rows, encoding="gbk"),
    }[kind]()
    name = "r.xlsx" if kind == "xlsx" else "r.csv"
    first = roster_import(actor=world.users["principal"], school=world.school, filename=name, content=content)
    assert (first.new_students, first.new_guardians, first.unverified_registry_ids) == (3, 3, 1)
    s = Student.objects.get(registry_id=rows[0][0])
    assert s.registry_id_verified and s.birth_date == date(2015, 3, 7) and s.school_class == world.class_5_1
    assert Guardian.objects.get(student=s).phone == "13811110001"
    assert Student.objects.get(registry_id="L2015000000000077").school_class == world.class_3_1
    again = roster_import(actor=world.users["principal"], school=world.school, filename=name, content=content)
    assert (again.new_students, again.updated_students, again.unchanged_students, again.new_guardians) == (
        0,
        0,
        3,
        0,
    )


def test_reimport_moves_a_student_and_adds_a_second_guardian(world):
    rows = good_rows()
    roster_import(
        actor=SystemActor("test-setup"), school=world.school, filename="r.csv", content=csv_bytes(rows)
    )
    rows[0][5] = "(2)班"
    rows[0][7] = "13811119999"
    summary = roster_import(
        actor=SystemActor("test-setup"), school=world.school, filename="r.csv", content=csv_bytes(rows)
    )
    assert (summary.updated_students, summary.new_guardians) == (1, 1)
    s = Student.objects.get(registry_id=rows[0][0])
    assert s.school_class == world.class_5_2 and s.guardians.count() == 2


def test_dry_run_and_missing_classes(world):
    rows = [r[:] for r in good_rows()]
    rows[0][5] = "7"
    with pytest.raises(RosterError):
        roster_import(
            actor=SystemActor("test-setup"), school=world.school, filename="r.csv", content=csv_bytes(rows)
        )
    dry = roster_import(
        actor=SystemActor("test-setup"),
        school=world.school,
        filename="r.csv",
        content=csv_bytes(rows),
        dry_run=True,
        create_classes=True,
    )
    assert dry.new_classes == 1 and Student.objects.filter(school=world.school).count() == 2  # the 2 fixtures
    assert not SchoolClass.objects.filter(school=world.school, number=7).exists()
    roster_import(
        actor=SystemActor("test-setup"),
        school=world.school,
        filename="r.csv",
        content=csv_bytes(rows),
        create_classes=True,
    )
    assert SchoolClass.objects.get(school=world.school, grade__number=5, number=7).students.count() == 1


def test_unreadable_files_get_a_clear_message(world):
    with pytest.raises(RosterError) as exc:
        roster_import(actor=SystemActor("test-setup"), school=world.school, filename="r.pdf", content=b"%PDF")
    assert "只支持" in exc.value.message_zh
    with pytest.raises(RosterError) as exc:
        roster_import(
            actor=SystemActor("test-setup"),
            school=world.school,
            filename="r.csv",
            content="姓名,性别\n张三,男\n".encode(),
        )
    assert exc.value.details[0].code == "roster_no_header"


def test_cli_dry_run_writes_nothing_and_real_run_imports(world, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(good_rows()))
    call_command("import_roster", str(path), "--school", world.school.code, "--dry-run")
    assert "检查通过" in capsys.readouterr().out
    assert not Student.objects.filter(name="林一").exists()
    call_command("import_roster", str(path), "--school", world.school.code)
    assert Student.objects.filter(name="林一").exists()
    path.write_bytes(csv_bytes(faulty_rows(world)))
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), "--school", world.school.code)


def test_upload_confirm_is_idempotent_and_drops_the_file(world):
    upload, summary, error = roster_upload_create(
        actor=world.users["academic"], school=world.school, filename="r.csv", content=csv_bytes(good_rows())
    )
    assert error is None and summary.new_students == 3
    first = roster_upload_confirm(actor=world.users["academic"], upload_id=upload.pk)
    second = roster_upload_confirm(actor=world.users["academic"], upload_id=upload.pk)
    assert first == second
    assert Student.objects.filter(school=world.school).count() == 5
    upload.refresh_from_db()
    assert bytes(upload.content) == b""
    with pytest.raises(NotFound):
        roster_upload_confirm(actor=world.users["principal"], upload_id=upload.pk)  # not the uploader


def test_web_flow_preview_shows_masked_rows_and_every_error(client, world):
    client.force_login(world.users["academic"])
    r = client.post(
        "/schools/roster/import/", {"school": world.school.pk, "file": _named(csv_bytes(faulty_rows(world)))}
    )
    assert r.status_code == 302
    preview = client.get(r["Location"])
    html = preview.content.decode()
    assert preview.status_code == 422
    assert "未导入任何数据" in html and "第9行" in html and "班级不存在" in html
    assert "13811110001" not in html and "138****0001" in html
    assert good_rows()[0][0] not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_permissions_per_persona(client, world, persona):
    user = world.users[persona]
    allowed = persona in ("bureau", "principal", "academic")
    content = csv_bytes(good_rows())
    if allowed:
        roster_import(actor=user, school=world.school, filename="r.csv", content=content, dry_run=True)
    else:
        with pytest.raises((NotFound, PermissionDenied)):
            roster_import(actor=user, school=world.school, filename="r.csv", content=content, dry_run=True)
    client.force_login(user)
    page = client.get("/schools/roster/import/")
    assert page.status_code == (200 if allowed or persona == "outsider" else 404)
    api = client.post(
        f"/api/v1/schools/roster/import?school_id={world.school.pk}&dry_run=true", {"file": _named(content)}
    )
    # The inspector sees the school but may not change it (403); others do not see it at all (404).
    assert api.status_code == (200 if allowed else 403 if persona == "inspector" else 404)


def test_sex_must_match_the_17th_digit_of_the_citizen_id(world):
    """GB 11643-1999: the 17th character of a citizen id (the last digit of the order code) is odd for
    a man, even for a woman. Six rows whose 性别 contradicts it, in every spelling the parser accepts
    (男/女, M/F, 1/2), are six row errors and nothing is written; on main they imported as verified."""
    wrong = [
        # order code → 17th digit → sex the id says; the row claims the other one
        [gid("440106", "20150307", "111"), "甲", "女", "2015-03-07", "5", "1"],  # 1 odd → 男
        [gid("440106", "20150307", "112"), "乙", "男", "2015-03-07", "5", "1"],  # 2 even → 女
        [gid("440106", "20150307", "133"), "丙", "F", "2015-03-07", "5", "1"],  # 3 odd → 男
        [gid("440106", "20150307", "134"), "丁", "M", "2015-03-07", "5", "1"],  # 4 even → 女
        [gid("440106", "20150307", "155"), "戊", "2", "2015-03-07", "5", "1"],  # 5 odd → 男
        [gid("440106", "20150307", "150"), "己", "1", "2015-03-07", "5", "1"],  # 0 even → 女
    ]
    content = xlsx_bytes([r + ["", "", ""] for r in wrong])
    before = Student.objects.count()
    with pytest.raises(RosterError) as exc:
        roster_import(
            actor=SystemActor("test-setup"), school=world.school, filename="sex.xlsx", content=content
        )
    assert Student.objects.count() == before
    # Title row 1, header row 2: the six students are rows 3 to 8.
    assert {(d.row, d.field, d.code) for d in exc.value.details} == {
        (row, "gender", "gender_mismatch") for row in range(3, 9)
    }
    first = next(d for d in exc.value.details if d.row == 3)
    assert first.message_zh == "第3行 性别：性别与学籍号不符（学籍号第17位数字为奇数，应为男）"
    assert "sex does not match the registry number" in first.message_en
    second = next(d for d in exc.value.details if d.row == 4)
    assert "偶数，应为女" in second.message_zh and "even: female" in second.message_en

    # The same rows with the sex the id says import, verified.
    fixed = [
        [*r[:2], {"女": "男", "男": "女", "F": "M", "M": "F", "2": "1", "1": "2"}[r[2]], *r[3:]]
        for r in wrong
    ]
    summary = roster_import(
        actor=SystemActor("test-setup"),
        school=world.school,
        filename="sex.xlsx",
        content=xlsx_bytes([r + ["", "", ""] for r in fixed]),
    )
    assert (summary.new_students, summary.unverified_registry_ids) == (6, 0)
    assert dict(Student.objects.filter(name__in="甲乙丙丁戊己").values_list("name", "gender")) == {
        "甲": "M",
        "乙": "F",
        "丙": "M",
        "丁": "F",
        "戊": "M",
        "己": "F",
    }


def test_registry_numbers_that_are_not_a_citizen_id_are_imported_unverified_whatever_the_sex(world):
    """Only a G number carries a citizen id. An L number (assigned by the registry to a child without
    one) or a J number embeds no sex or birth date: it is accepted on its format alone and counted as
    unverified, so a school cannot pass one off as checked. A bare 18-digit id without the G is not a
    学籍号 and is refused (the G form is what other schools hold, so the cross-school duplicate check
    needs it)."""
    assert check_registry_id("L2015000000000001").sex is None
    assert check_registry_id("J4401062015030712").sex is None
    # 11010519491231002X: the standard's example; order code 002 → 17th digit 2, even → 女.
    assert check_registry_id("G11010519491231002X").sex == "F"
    rows = [
        ["L2015000000000001", "无证一", "女", "2015-03-07", "5", "1", "", "", ""],  # 1 would be "odd"
        ["J4401062015030712", "无证二", "男", "2015-03-07", "5", "1", "", "", ""],  # 2 would be "even"
    ]
    summary = roster_import(
        actor=SystemActor("test-setup"), school=world.school, filename="r.csv", content=csv_bytes(rows)
    )
    assert (summary.new_students, summary.unverified_registry_ids) == (2, 2)
    assert not Student.objects.filter(name__startswith="无证", registry_id_verified=True).exists()
    bare = gid("440106", "20150307", "101")[1:]
    with pytest.raises(RosterError) as exc:
        roster_import(
            actor=SystemActor("test-setup"),
            school=world.school,
            filename="r.csv",
            content=csv_bytes([[bare, "无G", "男", "2015-03-07", "5", "1", "", "", ""]]),
        )
    assert [(d.row, d.field) for d in exc.value.details] == [(3, "registry_id")]


def _named(content):
    f = io.BytesIO(content)
    f.name = "roster.csv"
    return f


def test_api_returns_422_with_row_details(client, world):
    client.force_login(world.users["principal"])
    r = client.post(
        f"/api/v1/schools/roster/import?school_id={world.school.pk}",
        {"file": _named(csv_bytes(faulty_rows(world)))},
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "roster_invalid"
    assert {(d["row"], d["field"]) for d in body["details"]} == {(row, f) for row, f, _ in EXPECTED_FAULTS}


def test_a_xuehao_column_is_read_checked_and_kept_when_a_later_roster_has_none(world):
    """学号 (班内学号): optional; a whole number 1–200; two children of one class with the same number
    are a row error; a later roster without the column keeps the numbers (issue 12: level entry by 学号)."""
    header = ["学籍号", "姓名", "性别", "出生日期", "年级", "班级", "学号"]

    def book(rows):
        wb = Workbook()
        wb.active.append(header)
        for r in rows:
            wb.active.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    a, b = gid("440106", "20150307", "111"), gid("440106", "20150308", "112")
    bad = book([[a, "甲", "男", "2015-03-07", "5", "1", "7"], [b, "乙", "女", "2015-03-08", "5", "1", "7"]])
    with pytest.raises(RosterError) as exc:
        roster_import(actor=SystemActor("test-setup"), school=world.school, filename="x.xlsx", content=bad)
    assert [(d.row, d.field, d.code) for d in exc.value.details] == [(3, "seat", "seat_duplicate")]
    with pytest.raises(RosterError) as exc:
        roster_import(
            actor=SystemActor("test-setup"),
            school=world.school,
            filename="x.xlsx",
            content=book([[a, "甲", "男", "2015-03-07", "5", "1", "七"]]),
        )
    assert [(d.row, d.field, d.code) for d in exc.value.details] == [(2, "seat", "seat_invalid")]
    good = book([[a, "甲", "男", "2015-03-07", "5", "1", "7"], [b, "乙", "女", "2015-03-08", "5", "1", "8"]])
    roster_import(actor=SystemActor("test-setup"), school=world.school, filename="x.xlsx", content=good)
    assert dict(Student.objects.filter(name__in="甲乙").values_list("name", "seat")) == {"甲": 7, "乙": 8}
    roster_import(
        actor=SystemActor("test-setup"),
        school=world.school,
        filename="y.xlsx",
        content=xlsx_bytes([[a, "甲", "男", "2015-03-07", "5", "1", "", "", ""]]),
    )
    assert Student.objects.get(name="甲").seat == 7


def test_a_previewed_roster_nobody_confirmed_is_purged_by_the_nightly_job_after_a_day(world):
    """security.md L8: previewed uploads (学籍号, names, guardians' phones) were kept forever. The
    nightly job deletes those older than 24 hours and keeps a recent one and confirmed ones."""
    from datetime import timedelta

    from django.utils import timezone

    from jianfu.core.periodic import jobs
    from jianfu.schools.models import RosterUpload
    from jianfu.schools.roster.services import roster_uploads_purge

    def upload(hours_ago, confirmed=False):
        u, _, _ = roster_upload_create(
            actor=world.users["academic"],
            school=world.school,
            filename="r.csv",
            content=csv_bytes(good_rows()),
        )
        RosterUpload.objects.filter(pk=u.pk).update(
            created_at=timezone.now() - timedelta(hours=hours_ago),
            confirmed_at=timezone.now() if confirmed else None,
        )
        return u.pk

    old, fresh, done = upload(25), upload(23), upload(48, confirmed=True)
    assert roster_uploads_purge() == 1
    assert set(RosterUpload.objects.values_list("pk", flat=True)) == {fresh, done}
    assert old not in RosterUpload.objects.values_list("pk", flat=True)
    assert "roster_uploads_purge" in [j.name for j in jobs()]  # the worker runs it nightly


def test_upload_without_a_file_is_an_error_beside_it_and_the_choices_stay(client, world):
    """issue 14 part 2: the school and "create classes" are shown again as chosen, the error beside
    the file field (a browser never keeps a chosen file)."""
    client.force_login(world.users["academic"])
    r = client.post("/schools/roster/import/", {"school": world.school.pk, "create_classes": "on"})
    page = r.content.decode()
    assert r.status_code == 400 and 'class="errorlist"' in page
    assert f'<option value="{world.school.pk}" selected>' in page
    assert 'name="create_classes" checked' in page
