"""The world the permission matrix runs in: two districts of one city, a school in each, one person
for every persona in the home district, and for every kind of object a URL can name an instance the
personas may reach ("own"), one in a neighbouring class of the same school ("neighbour") and one in
the other district ("other").

Built once per matrix run through the apps' services where they exist (the same paths the pages use),
with the models only where a service would need a day that has passed. The clock is Monday
23 November 2026, 13:30 Beijing time: an ordinary school day of the autumn term, before the day's
14:00 pickup-booking cutoff and after noon, so the day's family reports are open.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from conftest import build_world, make_custodian, make_user
from tests.permissions.table import (
    ACADEMIC,
    BUREAU,
    CUSTODIAN,
    HEAD_TEACHER,
    INSPECTOR,
    NO_ROLE,
    PARENT,
    PRINCIPAL,
    SUBJECT_TEACHER,
)

BEIJING = ZoneInfo("Asia/Shanghai")
MON = date(2026, 11, 23)
WED = date(2026, 11, 25)
NOW = datetime.combine(MON, time(13, 30), tzinfo=BEIJING)

# Names that identify the other district's objects: no page or answer to a home persona may carry
# them (the other school's name, its pupil, teacher and complaint).
OTHER_SCHOOL_NAME = "越秀区小学"
OTHER_PUPIL = "郑小刚"
OTHER_TEACHER = "钱老师"
OTHER_COMPLAINT = "越秀区的作业每天写到深夜十一点"
OTHER_STAFF = "音乐吴老师"  # a teacher of the other school with two-step sign-in
OTHER_NAMES = (OTHER_SCHOOL_NAME, OTHER_PUPIL, OTHER_TEACHER, OTHER_COMPLAINT, OTHER_STAFF)
# The pupil of the neighbouring class 5(2): never shown to the parent of a child in 5(1).
NEIGHBOUR_PUPIL = "吴小红"
OWN_COMPLAINT = "五年级一班的数学作业每天要写到十点半"


@dataclass
class World:
    base: Any  # conftest.World: regions, schools, classes, the cast
    users: dict[str, Any]  # persona → user (no entry for anonymous)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # symbol → scope → object
    extra: dict[str, Any] = field(default_factory=dict)

    def put(self, symbol: str, own: Any, other: Any = None, neighbour: Any = None) -> None:
        self.objects[symbol] = {"own": own}
        if other is not None:
            self.objects[symbol]["other"] = other
        if neighbour is not None:
            self.objects[symbol]["neighbour"] = neighbour


def small_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def roster_csv() -> bytes:
    """One pupil for class 5(1), with an L-prefixed 学籍号 (format-checked only)."""
    rows = ["学籍号,姓名,性别,出生日期,年级,班级", "L2015000000000077,马小跳,男,2015-04-01,五年级,(1)班"]
    return ("\n".join(rows) + "\n").encode("utf-8")


def _teacher(school: Any, user: Any, name: str, school_class: Any, subject: str) -> Any:
    from jianfu.schools.models import Teacher, TeachingAssignment

    t = Teacher.objects.create(school=school, user=user, name=name)
    TeachingAssignment.objects.create(teacher=t, school_class=school_class, subject=subject)
    return t


def _staff_with_two_step(phone: str, name: str, school: Any, school_class: Any) -> Any:
    """A school teacher who signs in with two-step sign-in: what the bureau's reset acts on."""
    from django.utils import timezone

    from jianfu.accounts.models import Membership, Role, TotpDevice
    from jianfu.accounts.rules import totp

    user = make_user(phone, name)
    Membership.objects.create(user=user, role=Role.SUBJECT_TEACHER, school=school)
    _teacher(school, user, name, school_class, "music")
    TotpDevice.objects.create(user=user, secret=totp.secret_new(), confirmed_at=timezone.now())
    return user


def _term(actor: Any, school: Any) -> Any:
    from jianfu.schools.calendar.services import term_create

    return term_create(
        actor=actor,
        school=school,
        school_year="2026-2027",
        kind="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 31),
    )


def _homework(teacher: Any, school_class: Any, minutes: int, reason: str = "") -> Any:
    from jianfu.homework import services
    from jianfu.homework.services import Draft

    (item,) = services.homework_create(
        actor=teacher,
        class_ids=[school_class.pk],
        date_set=MON,
        date_due=date(2026, 11, 24),
        draft=Draft(subject="math", kind="written", where="home", minutes=minutes, tier="required"),
        description="练习册第35页",
        exception_reason=reason,
    )
    return item


def _report(parent: Any, student: Any, minutes: int) -> Any:
    from jianfu.feedback.services import report_submit

    row, _ = report_submit(
        actor=parent,
        student_id=student.pk,
        report_date=MON,
        idempotency_key=f"w-{student.pk}",
        minutes_total=minutes,
    )
    return row


def _exam(actor: Any, school: Any, term: Any, grade: int, on: date, subjects: list[str]) -> Any:
    from jianfu.exams.services import PlanDraft, exam_file

    return exam_file(
        actor=actor,
        school=school,
        draft=PlanDraft(grade_number=grade, term_id=term.pk, kind="final", subjects=subjects, date=on),
    )


def _complaint(parent: Any, student: Any, text: str, photo: bool = False) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from jianfu.cases import services
    from jianfu.cases.models import Complaint

    photos = [SimpleUploadedFile("a.jpg", small_jpeg(), content_type="image/jpeg")] if photo else []
    c = services.complaint_file(
        actor=parent, student_id=student.pk, category="homework", text=text, photos=photos
    )
    # Released to the school already (decision 0032): school leaders see it.
    Complaint.objects.filter(pk=c.pk).update(released_at=timezone.now() - timedelta(days=1))
    c.refresh_from_db()
    return c


@dataclass
class ProgrammeObjects:
    programme: Any
    course: Any
    course2: Any
    session: Any
    slot: Any
    application: Any
    cover: Any
    duty: Any
    departure: Any
    provider: Any
    leave: Any
    pickup_person: Any
    late_join: Any


def _programme(
    office: Any, term: Any, teacher: Any, second: Any, substitute: Any, gate: Any, pupils: list[Any]
) -> ProgrammeObjects:
    """A published programme: Mon–Fri basic part 15:40–16:40, courses 16:50–17:30 and extended care to
    18:30, pickup slots 17:30 / 18:00 / 18:30; a family's leave and another pickup person for Wednesday; a late join request; two Mon/Wed courses; the first pupil placed in the first course, every
    pupil in the basic part; Monday's sessions made; a substitute for Wednesday, a gate duty and a
    departure on Monday."""
    from jianfu.afterschool.attendance.services import session_cover_set, sessions_ensure
    from jianfu.afterschool.courses.services import provider_create
    from jianfu.afterschool.models import (
        Application,
        Course,
        CourseCategory,
        Enrolment,
        EnrolmentStatus,
        LateJoinRequest,
        LeaveRequest,
        PickupPerson,
        PickupSlot,
        Programme,
        ProgrammeStatus,
        ServicePart,
        ServiceSlot,
    )
    from jianfu.afterschool.pickup.services import departure_record, duty_assign

    school = term.school
    p = Programme.objects.create(
        school=school, term=term, name="2026秋季课后服务", status=ProgrammeStatus.PUBLISHED, created_by=office
    )
    for wd in (1, 2, 3, 4, 5):
        ServiceSlot.objects.create(
            programme=p, weekday=wd, part=ServicePart.BASIC, start=time(15, 40), end=time(16, 40)
        )
        ServiceSlot.objects.create(
            programme=p, weekday=wd, part=ServicePart.COURSE, start=time(16, 50), end=time(17, 30)
        )
        # Extended care to 18:30: no pickup time may be later (issue 15).
        ServiceSlot.objects.create(
            programme=p, weekday=wd, part=ServicePart.EXTENDED, start=time(17, 30), end=time(18, 30)
        )
    slots = [
        PickupSlot.objects.create(programme=p, time=time(h, m), label=f"{h}:{m:02d}")
        for h, m in ((17, 30), (18, 0), (18, 30))
    ]
    course = Course.objects.create(
        programme=p,
        name="科学实验",
        category=CourseCategory.SCIENCE,
        teacher=teacher,
        capacity=30,
        weekdays=[1, 3],
        fee_per_term=Decimal("0"),
    )
    course2 = Course.objects.create(
        programme=p,
        name="合唱",
        category=CourseCategory.ART,
        teacher=second,
        capacity=30,
        weekdays=[1, 3],
        fee_per_term=Decimal("0"),
    )
    apps = [
        Application.objects.create(programme=p, student=s, submitted_by=office, basic_part=True)
        for s in pupils
    ]
    # The first family claims hardship: the office decides it (0013).
    Application.objects.filter(pk=apps[0].pk).update(hardship_claimed=True, hardship_category="hardship")
    Enrolment.objects.create(
        programme=p, course=course, student=pupils[0], status=EnrolmentStatus.PLACED, rank=1
    )
    sessions = sessions_ensure(actor=office, programme=p, on=MON)
    session = next(s for s in sessions if s.course_id == course.pk)
    cover = session_cover_set(
        actor=office,
        programme_id=p.pk,
        on=WED,
        teacher_id=substitute.pk,
        reason="外出培训",
        course_id=course.pk,
    )
    duty = duty_assign(actor=office, programme_id=p.pk, slot_id=slots[1].pk, on=MON, teacher_id=gate.pk)
    departure = departure_record(actor=office, programme_id=p.pk, student_id=pupils[0].pk)
    provider = provider_create(
        actor=office, name=f"{school.name}少年宫", kind="culture_centre", school_id=school.pk
    )
    # The first pupil's family reported leave for Wednesday (issue 15): it can still be withdrawn.
    leave = LeaveRequest.objects.create(
        programme=p, student=pupils[0], start_date=WED, end_date=WED, requested_by=office
    )
    # …and named the grandmother to collect them on Wednesday (only the masked number is kept).
    person = PickupPerson.objects.create(
        programme=p,
        student=pupils[0],
        start_date=WED,
        end_date=WED,
        name="王奶奶",
        relationship="grandparent",
        phone_masked="139****5678",
        named_by=office,
    )
    # A late join request waiting for the office (decision 0052).
    late_join = LateJoinRequest.objects.create(programme=p, student=pupils[-1], requested_by=office)
    return ProgrammeObjects(
        p,
        course,
        course2,
        session,
        slots[1],
        apps[0],
        cover,
        duty,
        departure,
        provider,
        leave,
        person,
        late_join,
    )


def build() -> World:
    """Everything the matrix's URLs name. Call with the clock at NOW (the caller patches it)."""
    from django.utils import timezone

    from jianfu.accounts.models import Membership, Role, TotpDevice
    from jianfu.accounts.rules import totp
    from jianfu.cases import services as cases
    from jianfu.homework import services as homework
    from jianfu.schools.models import Guardian, Student
    from jianfu.schools.roster.services import roster_upload_create

    b = build_world()
    u = b.users
    custodian = make_custodian(make_user("13900000012", "举报保管人孙老师"), b.district)
    # Two-step sign-in is required of bureau staff and custodians (decision 0031): both have an app.
    TotpDevice.objects.create(user=u["bureau"], secret=totp.secret_new(), confirmed_at=timezone.now())
    w = World(
        base=b,
        users={
            NO_ROLE: u["nobody"],
            PARENT: u["parent"],
            SUBJECT_TEACHER: u["teacher"],
            HEAD_TEACHER: u["head_teacher"],
            ACADEMIC: u["academic"],
            PRINCIPAL: u["principal"],
            BUREAU: u["bureau"],
            INSPECTOR: u["inspector"],
            CUSTODIAN: custodian,
        },
    )

    # --- the home school's extra people: a teacher of 5(2), the parent of its pupil --------------
    teacher_52 = make_user("13900000010", "数学孙老师")
    Membership.objects.create(user=teacher_52, role=Role.SUBJECT_TEACHER, school=b.school)
    t52 = _teacher(b.school, teacher_52, "孙老师", b.class_5_2, "math")
    neighbour_parent = make_user("13700000001", "家长吴先生")
    Membership.objects.create(user=neighbour_parent, role=Role.PARENT, school_class=b.class_5_2)
    Guardian.objects.filter(student=b.other_student).update(user=neighbour_parent)

    # --- the other district: a pupil of its 5(1), the parent, a teacher ------------------------
    other_pupil = Student.objects.create(
        school=b.other_school,
        school_class=b.other_class,
        registry_id="L2015000000000009",
        name=OTHER_PUPIL,
        gender="M",
        birth_date=date(2015, 2, 1),
    )
    other_parent = make_user("13600000001", "家长郑女士")
    Membership.objects.create(user=other_parent, role=Role.PARENT, school_class=b.other_class)
    Guardian.objects.create(
        student=other_pupil, name="郑女士", phone="13600000001", relation="母亲", user=other_parent
    )
    other_teacher = make_user("13600000002", "数学钱老师")
    Membership.objects.create(user=other_teacher, role=Role.SUBJECT_TEACHER, school=b.other_school)
    t_other = _teacher(b.other_school, other_teacher, OTHER_TEACHER, b.other_class, "math")
    outsider = u["outsider"]  # the other school's principal

    w.put("school", b.school, other=b.other_school)
    w.put("region", b.district, other=b.other_district)
    w.put("class", b.class_5_1, other=b.other_class, neighbour=b.class_5_2)
    w.put("student", b.student, other=other_pupil, neighbour=b.other_student)
    w.put(
        "reset_target",
        _staff_with_two_step("13900000011", "音乐周老师", b.school, b.class_5_1),
        other=_staff_with_two_step("13600000011", OTHER_STAFF, b.other_school, b.other_class),
    )

    # --- calendar -------------------------------------------------------------------------------
    term = _term(u["principal"], b.school)
    other_term = _term(outsider, b.other_school)
    w.put("term", term, other=other_term)

    # --- homework: an item each teacher posted today, and one over the cap waiting for approval --
    home_teacher = u["teacher"]
    w.put(
        "item",
        _homework(home_teacher, b.class_5_1, 20),
        other=_homework(other_teacher, b.other_class, 20),
        neighbour=_homework(teacher_52, b.class_5_2, 20),
    )
    reason = "单元复习需要多一些练习时间"
    w.put(
        "pending",
        _homework(home_teacher, b.class_5_1, 45, reason),
        other=_homework(other_teacher, b.other_class, 45, reason),
        neighbour=_homework(teacher_52, b.class_5_2, 45, reason),
    )
    w.put("publication", homework.publication_ensure(actor=u["head_teacher"], school_class=b.class_5_1))

    # --- families' reports for today ----------------------------------------------------------
    w.put(
        "report",
        _report(u["parent"], b.student, 40),
        other=_report(other_parent, other_pupil, 40),
        neighbour=_report(neighbour_parent, b.other_student, 40),
    )

    # --- exams: one still to come (changeable), one whose last day has passed (levels open) -----
    w.put(
        "exam_future",
        _exam(u["principal"], b.school, term, 3, date(2026, 12, 28), ["math"]),
        other=_exam(outsider, b.other_school, other_term, 3, date(2026, 12, 28), ["math"]),
    )
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 11, 2, 10, 0, tzinfo=BEIJING)):
        w.put(
            "exam_done",
            _exam(u["principal"], b.school, term, 5, date(2026, 11, 20), ["math", "chinese"]),
            other=_exam(outsider, b.other_school, other_term, 5, date(2026, 11, 20), ["math", "chinese"]),
        )

    # --- complaints: one released to each school, and one the home school closed as abusive -----
    w.put(
        "complaint",
        _complaint(u["parent"], b.student, OWN_COMPLAINT, photo=True),
        other=_complaint(other_parent, other_pupil, OTHER_COMPLAINT, photo=True),
    )
    closed = _complaint(u["parent"], b.student, "学校食堂的饭菜太咸了，孩子吃不下")
    cases.complaint_close_abusive(
        actor=u["principal"], complaint_id=closed.pk, reason="与作业负担无关的重复内容"
    )
    other_closed = _complaint(other_parent, other_pupil, "越秀区的食堂饭菜太咸了")
    cases.complaint_close_abusive(
        actor=outsider, complaint_id=other_closed.pk, reason="与作业负担无关的重复内容"
    )
    w.put("closed_complaint", closed, other=other_closed)

    # --- a message in the parent's inbox (and one in the other district's parent's) ----------------
    from jianfu.notifications.services import notify

    def _message(user: Any) -> Any:
        [m] = notify([user], "complaint_answered", {"day": MON.isoformat()}, key="matrix-message")
        return m

    w.put("message", _message(u["parent"]), other=_message(other_parent))

    # --- after-school programmes -----------------------------------------------------------------
    head_t = u["head_teacher"].teacher_profiles.get()
    math_t = home_teacher.teacher_profiles.get()
    own = _programme(u["principal"], term, math_t, head_t, t52, head_t, [b.student, b.other_student])
    other_sub = _teacher(
        b.other_school, make_user("13600000003", "越秀区代课老师"), "李老师", b.other_class, "art"
    )
    other = _programme(outsider, other_term, t_other, t_other, other_sub, t_other, [other_pupil])
    for name in (
        "programme",
        "course",
        "course2",
        "session",
        "slot",
        "application",
        "cover",
        "duty",
        "departure",
        "provider",
        "leave",
        "pickup_person",
        "late_join",
    ):
        w.put(name, getattr(own, name), other=getattr(other, name))
    w.put("teacher", t52, other=other_sub)  # a teacher of the school, for substitutes and duties

    # --- a roster upload waiting for its confirmation ---------------------------------------------
    upload, _summary, _error = roster_upload_create(
        actor=u["principal"], school=b.school, filename="roster.csv", content=roster_csv()
    )
    other_upload, _s, _e = roster_upload_create(
        actor=outsider, school=b.other_school, filename="roster.csv", content=roster_csv()
    )
    w.put("upload", upload, other=other_upload)

    from jianfu.core.models import AuditEvent

    w.extra["last_audit"] = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return w
