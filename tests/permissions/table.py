"""Who may use every page and API operation: the permission matrix's declarations, one row per route
(and per form action where one URL carries several), each naming where the expectation comes from.

This module is data. It imports nothing from the apps, so the same rows can be held against the
HTTP layer (tests/permissions/test_permission_matrix.py) and later against the apps' `can_*`
predicates (issue 14): `who` is the expectation, the rest of a row only says how to exercise it.

Sources: domain.md "People and what they may see" (D), docs/api.md (A), the user guide docs/index.md
(G), shared/findings/security.md (S) and the decision records by number.

Reading a row:
- `who` may use the route on an object of their own scope ("own": class 5(1) of the home school, the
  parent's child, the home school, the home district). Everyone else is refused: 401/403/404, a
  redirect to sign-in, or a page that reports a refusal and writes nothing.
- Where the request names objects, it is repeated with every object taken from the other district
  ("other"): refused for everyone, and the answer never carries the other object's names.
- Where it names a class or a pupil, it is repeated with the neighbouring class 5(2) and its pupil
  ("neighbour"): allowed only for the `who` whose scope is the whole school or wider (SCHOOL_WIDE).
- A row whose `who` includes ANONYMOUS is public; only "own" applies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# --- personas ---------------------------------------------------------------------------------------
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"  # signed in, no membership (an activated account whose roster row went away)
PARENT = "parent"
SUBJECT_TEACHER = "subject_teacher"  # teaches math in 5(1)
HEAD_TEACHER = "head_teacher"  # of 5(1); teaches chinese there
ACADEMIC = "academic_affairs"  # 教导处 of the home school
PRINCIPAL = "principal"
BUREAU = "bureau_staff"  # of the home district; two-step sign-in passed (decision 0031)
INSPECTOR = "inspector"
CUSTODIAN = "custodian"  # complaint custodian of the home district; two-step passed

PERSONAS = (
    ANONYMOUS,
    NO_ROLE,
    PARENT,
    SUBJECT_TEACHER,
    HEAD_TEACHER,
    ACADEMIC,
    PRINCIPAL,
    BUREAU,
    INSPECTOR,
    CUSTODIAN,
)

ALL = frozenset(PERSONAS)
SIGNED_IN = ALL - {ANONYMOUS}
TEACHERS = frozenset({SUBJECT_TEACHER, HEAD_TEACHER})
OFFICE = frozenset({ACADEMIC, PRINCIPAL})  # the school office (D: 教导处 / 校长, own school)
DISTRICT = frozenset({BUREAU, INSPECTOR, CUSTODIAN})  # region roles (D: own region and below)
STAFF = TEACHERS | OFFICE | DISTRICT
FAMILY = frozenset({PARENT})
# D: whose scope covers every class of the school (used for the neighbouring class).
SCHOOL_WIDE = OFFICE | DISTRICT
# 0024: nobody decides their own exception; the class's head teacher, the principal and 教导处.
DECIDERS = frozenset({HEAD_TEACHER}) | OFFICE
# D, 0032: complaints routed to the school (sealed reporter) and the district's oversight.
COMPLAINT_READERS = OFFICE | DISTRICT
# A "Complaints": the school's leaders handle their school's; bureau staff handle the region's.
HANDLERS = OFFICE | {BUREAU}
# A "Roster import": the school's principal or academic affairs, or bureau staff of its region.
ROSTER = OFFICE | {BUREAU}
# 0027: the school's principal / 教导处 or the district (bureau staff, not inspectors).
EXAM_CHANGERS = OFFICE | {BUREAU}
# A "Attendance": the course teacher, the basic-part supervisor, the school office.
COURSE_RUNNERS = frozenset({SUBJECT_TEACHER}) | OFFICE
# A "GET /gate": staff on duty (the head teacher has Monday's gate duty), the office.
GATE = frozenset({HEAD_TEACHER}) | OFFICE
# A "District (bureau staff, inspectors)".
DISTRICT_FIGURES = frozenset({BUREAU, INSPECTOR})


# --- how a request names objects ---------------------------------------------------------------------
@dataclass(frozen=True)
class Ref:
    """An object of the world by its symbol (world.py), taken from the scope being tested."""

    symbol: str
    attr: str = "pk"


@dataclass(frozen=True)
class Fmt:
    """A string with `{symbol}` replaced by the primary keys of the scope's objects."""

    template: str


@dataclass(frozen=True)
class Code:
    """The current code of a persona's authenticator app (unsealing and resets ask for one)."""

    persona: str


@dataclass(frozen=True)
class Upload:
    name: str
    content: Callable[[], bytes]


@dataclass(frozen=True)
class Case:
    route: str  # a URL name ("homework:class-week") or "METHOD /api/v1/…" as in the OpenAPI schema
    method: str
    who: frozenset[str]
    why: str
    label: str = ""  # a form action or variant of the same route and method
    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    files: dict[str, Upload] = field(default_factory=dict)
    neighbour: bool = True  # False: the route's objects have no meaningful neighbour variant
    # True: the named object only filters a list; outside the caller's scope the answer may be an
    # empty list rather than a refusal (the same answer as for a missing object, decision 0001).
    filter: bool = False
    # Error codes that are this route's refusal (a batch refused row by row answers 422 with them).
    refused_as: frozenset[str] = frozenset()
    # (symbol, attribute): text of that object that exactly the `sees` personas find in the answer.
    shows: tuple[str, str] | None = None
    sees: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "who", frozenset(self.who))
        object.__setattr__(self, "sees", frozenset(self.sees))
        object.__setattr__(self, "refused_as", frozenset(self.refused_as))

    @property
    def public(self) -> bool:
        return ANONYMOUS in self.who

    @property
    def key(self) -> str:
        return f"{self.route} {self.method}" + (f" [{self.label}]" if self.label else "")


def _roster() -> bytes:
    from tests.permissions.world import roster_csv

    return roster_csv()


ROSTER_FILE = {"file": Upload("roster.csv", _roster)}
TODAY = "2026-11-23"
TOMORROW = "2026-11-24"

# --- pages ------------------------------------------------------------------------------------------
# fmt: off
PAGES: list[Case] = [
    # homework (作业)
    Case("homework:public", "GET", ALL, "A Public pages; architecture: public class page, no student data",
         path={"token": Ref("publication", "token")}),
    Case("homework:public-print", "GET", ALL, "A Public pages", path={"token": Ref("publication", "token")}),
    Case("homework:public-qr", "GET", ALL, "A Public pages", path={"token": Ref("publication", "token")}),
    Case("homework:post", "GET", TEACHERS, "G 布置作业: 科任教师; A: only a teacher of the class and subject"),
    Case("homework:post", "POST", TEACHERS, "A POST /items: a teacher posts for a class and subject taught",
         body={"kind": "written", "where": "home", "minutes": "10", "tier": "required", "date_set": TODAY,
               "date_due": TOMORROW, "description": "口算练习一页"}),
    Case("homework:post-preview", "GET", TEACHERS, "A POST /preview: the live panel of the post page"),
    Case("homework:post-preview", "POST", TEACHERS, "A POST /preview", body={"minutes": "10"}),
    Case("homework:class-week", "GET", STAFF,
         "D: subject teacher its classes' homework, head teacher the class's load, office school-wide, "
         "bureau/inspector the region's dashboards; parents use the family page",
         path={"class_id": Ref("class")}),
    Case("homework:grade-week", "GET", STAFF, "as class-week: a grade's classes side by side (年级组统筹)",
         path={"class_id": Ref("class")}),
    Case("homework:publish", "POST", {HEAD_TEACHER}, "0008, A POST /classes/{id}/publish: the head teacher",
         path={"class_id": Ref("class")}, body={"date": TODAY}),
    Case("homework:publish", "POST", DECIDERS, "A, G 班主任, the office standing in (0045): the public page address", label="page",
         path={"class_id": Ref("class")}, body={"action": "page"}),
    Case("homework:publish", "POST", DECIDERS, "G 班主任: 地址泄露时可作废并生成新地址 (the office too: 0045)", label="revoke",
         path={"class_id": Ref("class")}, body={"action": "revoke"}),
    Case("homework:quotas", "POST", {HEAD_TEACHER}, "G 班主任…设置学科配额; A: the head teacher's quota",
         path={"class_id": Ref("class")}, body={"quota_math": "20"}),
    Case("homework:approve", "POST", DECIDERS, "0024: never the poster; head teacher, principal, 教导处",
         label="approve", path={"item_id": Ref("pending")}, body={"decision": "approve", "reason": "单元复习周"}),
    Case("homework:approve", "POST", DECIDERS, "0024, A POST /items/{id}/reject: same deciders",
         label="reject", path={"item_id": Ref("pending")}, body={"decision": "reject", "reason": "请分两天布置"}),
    Case("homework:edit", "GET", {SUBJECT_TEACHER},
         "A PATCH /items/{id}: the posting teacher; anyone else 404", path={"item_id": Ref("item")}),
    Case("homework:edit", "POST", {SUBJECT_TEACHER}, "A PATCH /items/{id}", path={"item_id": Ref("item")},
         body={"minutes": "15", "description": "练习册第36页", "date_due": TOMORROW, "kind": "written",
               "where": "home", "tier": "required"}),
    Case("homework:withdraw", "POST", {SUBJECT_TEACHER}, "A POST /items/{id}/withdraw: the posting teacher",
         path={"item_id": Ref("item")}),
    Case("homework:mine", "GET", TEACHERS, "G 我布置的作业: the teacher's own items"),
    Case("homework:overview", "GET", OFFICE | {BUREAU, INSPECTOR},
         "D2, 0051: 作业统筹 for the school's leaders and the bureau (the custodian handles complaints only)"),
    Case("homework:exceptions", "GET", OFFICE, "0024: 教导处 and the principal have 作业特批"),
    Case("homework:notices-read", "POST", OFFICE, "0024: the office's notices"),
    Case("homework:family", "GET", FAMILY, "D parent: own child's class homework; G 孩子的作业"),
    Case("homework:family-report", "POST", FAMILY, "0003, A POST /reports: only the parent's own children",
         body={"student": Ref("student"), "date": TODAY, "minutes_total": "50",
               "idempotency_key": "matrix-page"}),
    # notifications (消息; decision 0050): everyone signed in, on their own messages only
    Case("notifications:inbox", "GET", SIGNED_IN, "0050: every account has an inbox of its own"),
    Case("notifications:inbox", "POST", SIGNED_IN, "0050: mark all of one's own messages read"),
    Case("notifications:read", "POST", FAMILY, "0050: a message is its recipient's only; anyone else 404",
         path={"message_id": Ref("message")}, neighbour=False),
    Case("notifications:choices", "GET", SIGNED_IN, "0050, issue 15: each family and staff member chooses channels"),
    Case("notifications:choices", "POST", SIGNED_IN, "0050", body={"complaint_answered__sms": "on"}),
    # site
    Case("home-root", "GET", SIGNED_IN, "architecture: every URL requires login unless deliberately public"),
    Case("core:home", "GET", SIGNED_IN, "architecture: every URL requires login unless deliberately public"),
    Case("core:account", "GET", SIGNED_IN, "issue 15: 我的账号 — every account reads its own, nothing else"),
    Case("healthz", "GET", ALL, "a health check for the load balancer (deliberately public)"),
    Case("accounts:language", "POST", ALL, "0038: the language switch on every page, signed in or not",
         body={"language": "en", "next": "/"}),
    # accounts
    Case("accounts:login", "GET", ALL, "0001: sign-in"),
    Case("accounts:login", "POST", ALL, "0001: sign-in", body={"phone": "13900009999", "password": "not-it"}),
    Case("accounts:login-step", "GET", ALL, "0018: the second step of sign-in (no session yet)"),
    Case("accounts:security", "GET", STAFF,
         "0018: offered to every account with a staff role; not to parents"),
    Case("accounts:security", "POST", STAFF, "0018", label="start", body={"action": "start"}),
    Case("two-step:resets", "GET", {BUREAU}, "0019: bureau staff only"),
    Case("two-step:resets", "POST", {BUREAU}, "0019, 0031: bureau staff, a reason and a fresh code",
         body={"user_id": Ref("reset_target"), "reason": "本人到教育局当面核实身份", "code": Code(BUREAU)},
         neighbour=False),
    Case("accounts:logout", "POST", SIGNED_IN, "S: logout is POST-only and ends the session"),
    Case("accounts:password", "GET", SIGNED_IN, "G 修改密码: everyone signed in"),
    Case("accounts:password", "POST", SIGNED_IN, "G 修改密码",
         body={"old": "not-the-password", "new": "a-new-pw-2026x", "new2": "a-new-pw-2026x"}),
    Case("accounts:activate", "GET", ALL, "0001: parents activate without signing in"),
    Case("accounts:activate", "POST", ALL, "0001", body={"phone": "13900009998"}),
    Case("accounts:activate-confirm", "GET", ALL, "0001"),
    Case("accounts:activate-confirm", "POST", ALL, "0001",
         body={"phone": "13900009998", "code": "123456", "password": "a-new-pw-2026x",
               "password2": "a-new-pw-2026x"}),
    Case("accounts:password-reset", "GET", ALL, "0048: parents reset a forgotten password without signing in"),
    Case("accounts:password-reset", "POST", ALL, "0048", body={"phone": "13900009998"}),
    Case("accounts:password-reset-confirm", "GET", ALL, "0048"),
    Case("accounts:password-reset-confirm", "POST", ALL, "0048",
         body={"phone": "13900009998", "code": "123456", "password": "a-new-pw-2026x",
               "password2": "a-new-pw-2026x"}),
    # schools
    Case("schools:roster-import", "GET", ROSTER, "A Roster import; G 学校：导入学籍名册（校长、教导处）"),
    Case("schools:roster-import", "POST", ROSTER, "A Roster import", body={"school": Ref("school")},
         files=ROSTER_FILE),
    Case("schools:roster-preview", "GET", {PRINCIPAL}, "0004: the stored upload is the uploader's",
         path={"upload_id": Ref("upload")}),
    Case("schools:roster-confirm", "POST", {PRINCIPAL}, "0004: only the uploader can confirm it",
         path={"upload_id": Ref("upload")}),
    Case("schools:calendar", "GET", OFFICE | DISTRICT, "G 学校与教育局：校历 (the school office and its bureau)",
         query={"school": Ref("school")}),
    Case("schools:calendar", "POST", ROSTER,
         "A POST /calendar/entries: principal, academic affairs, bureau staff", label="entry",
         query={"school": Ref("school")},
         body={"form": "entry", "date": "2026-12-07", "kind": "no_school", "name": "运动会"}),
    Case("schools:calendar", "POST", {BUREAU}, "0006: a bureau enters a year's holidays", label="holidays",
         body={"form": "holidays", "year": "2027", "lines": "2027-01-01 holiday 元旦"}),
    # policies
    Case("policies:profile", "GET", OFFICE | DISTRICT,
         "G 政策配置: 教育局和学校; the page is the principal's and the bureau's", query={"school": Ref("school")}),
    Case("policies:profile", "POST", ROSTER, "G 政策配置: 教育局和学校可以设置本地规定 (school leaders, bureau staff)",
         query={"school": Ref("school")},
         body={"key": "hw_written_daily_avg_max_g3_6.max_minutes", "value": "50", "effective_from": TODAY,
               "reason": "区教育局要求更严格"}),
    # exams
    Case("exams:plans", "GET", OFFICE | DISTRICT, "G 考试备案 (教导处、校长); 0009: the district sees every filing"),
    Case("exams:plans", "POST", OFFICE, "0009, 0027: only principal / academic affairs file", label="file",
         body={"school": Ref("school"), "grade": "4", "term": Ref("term"), "kind": "final",
               "subjects": "math", "date": "2026-12-29", "paper_based": "on", "whole_grade": "on",
               "organiser": "school"}),
    Case("exams:plans", "POST", {BUREAU}, "0027: only the district excepts, filing with a reason",
         label="exception",
         body={"school": Ref("school"), "grade": "4", "term": Ref("term"), "kind": "monthly",
               "subjects": "math", "date": "2026-12-10", "paper_based": "on", "whole_grade": "on",
               "organiser": "school", "exception_reason": "区统一安排的学业质量监测"}),
    Case("exams:edit", "GET", EXAM_CHANGERS, "0027: change until the first day",
         path={"plan_id": Ref("exam_future")}),
    Case("exams:edit", "POST", EXAM_CHANGERS, "0027", path={"plan_id": Ref("exam_future")},
         body={"grade": "3", "term": Ref("term"), "kind": "final", "subjects": "math", "date": "2026-12-29",
               "paper_based": "on", "whole_grade": "on", "organiser": "school"}),
    Case("exams:withdraw", "POST", EXAM_CHANGERS, "0027: withdraw until the first day",
         path={"plan_id": Ref("exam_future")}),
    Case("exams:release", "POST", OFFICE, "0027: exam_release by the principal or 教导处",
         path={"plan_id": Ref("exam_done")}),
    Case("exams:levels", "GET", TEACHERS, "0027: 录入等级 for anyone who teaches"),
    Case("exams:results", "GET", TEACHERS, "0009: only a teacher of that subject in the class enters levels",
         path={"plan_id": Ref("exam_done")}),
    Case("exams:results", "POST", TEACHERS, "0009 (the math and the chinese teacher of 5(1))",
         path={"plan_id": Ref("exam_done")},
         body={Fmt("level_{student}:math"): "良好", Fmt("level_{student}:chinese"): "优秀"}, neighbour=False,
         refused_as={"exam_level_invalid"}),
    Case("exams:family", "GET", FAMILY, "0027: each family sees only their own child's levels"),
    # complaints (家长监督举报)
    Case("cases:list", "GET", COMPLAINT_READERS, "D, 0032: the school's leaders and the district",
         shows=("complaint", "ref"), sees=COMPLAINT_READERS),
    Case("cases:list", "POST", {BUREAU}, "A POST /complaints/record: bureau staff record a phone complaint",
         body={"school": Ref("school"), "category": "homework", "text": "电话反映：作业太多写不完", "channel": "phone",
               "contact": "来电家长"}),
    Case("cases:new", "GET", FAMILY, "A POST /complaints: a parent files about their own child"),
    Case("cases:new", "POST", FAMILY, "A POST /complaints",
         body={"student": Ref("student"), "category": "homework", "text": "孩子每天作业写到很晚，希望减少",
               "idempotency_key": "matrix-new"}),
    Case("cases:mine", "GET", SIGNED_IN, "0048 我的反映: every account sees only what it filed itself"),
    Case("cases:receipt", "GET", ALL, "A GET /receipts/{code}: follow-up without signing in"),
    Case("cases:receipt", "POST", ALL, "A GET /receipts/{code}",
         body={"code": Ref("complaint", "receipt_code")}),
    Case("cases:oversight", "GET", DISTRICT_FIGURES,
         "S: bureau staff and inspectors see unsealings; school roles 404"),
    Case("cases:oversight", "POST", {BUREAU}, "issue 4: abusive closures are for the bureau to review",
         body={"complaint": Ref("closed_complaint"), "decision": "uphold"}),
    Case("cases:photo", "GET", COMPLAINT_READERS, "S: only those who handle the complaint; the parent 404",
         path={"key": Ref("complaint", "ref"), "n": 1}),
    Case("cases:answers", "GET", ALL, "published answers, anonymised (public)",
         path={"region_code": Ref("region", "code")}),
    Case("cases:detail", "GET", COMPLAINT_READERS, "D, 0032", path={"key": Ref("complaint", "ref")}),
    Case("cases:detail", "POST", HANDLERS, "A POST /complaints/{id}/acknowledge", label="acknowledge",
         path={"key": Ref("complaint", "ref")}, body={"action": "acknowledge"}),
    Case("cases:detail", "POST", HANDLERS, "A POST /complaints/{id}/answer", label="answer",
         path={"key": Ref("complaint", "ref")}, body={"action": "answer", "answer": "已调整作业量，每天不超过一小时"}),
    Case("cases:detail", "POST", HANDLERS, "0010: a handler confirms the suggested category", label="triage",
         path={"key": Ref("complaint", "ref")}, body={"action": "triage", "category": "homework"}),
    Case("cases:detail", "POST", HANDLERS, "issue 4: a handler closes an abusive report with a reason",
         label="close_abusive", path={"key": Ref("complaint", "ref")},
         body={"action": "close_abusive", "close_reason": "内容与作业负担无关"}),
    # The case desk (issue 15, decision 0046). The world's complaint is school-level, new, unanswered:
    # bureau staff assigning it, the principal signing off with no draft, and closing before an answer
    # are refused by state (409), not by who the caller is.
    Case("cases:detail", "POST", HANDLERS,
         "0046: the handling level assigns (the office among its leaders; the bureau a district-level one)",
         label="assign", path={"key": Ref("complaint", "ref")}, body={"action": "assign"}),
    Case("cases:detail", "POST", HANDLERS, "0046: internal notes are for the complaint's handlers only",
         label="note", path={"key": Ref("complaint", "ref")},
         body={"action": "note", "text": "已电话联系班主任核实作业量"}),
    Case("cases:detail", "POST", {PRINCIPAL}, "0046: only the principal signs off a school's answer",
         label="signoff-approve", path={"key": Ref("complaint", "ref")},
         body={"action": "signoff", "decision": "approve"}),
    Case("cases:detail", "POST", {PRINCIPAL}, "0046: only the principal returns a draft answer",
         label="signoff-return", path={"key": Ref("complaint", "ref")},
         body={"action": "signoff", "decision": "return", "reason": "请补充整改措施和时间"}),
    Case("cases:detail", "POST", HANDLERS, "0046: a handler closes an answered complaint with a note",
         label="close", path={"key": Ref("complaint", "ref")},
         body={"action": "close", "note": "已答复并落实整改，予以办结"}),
    Case("cases:detail", "POST", {CUSTODIAN},
         "D, 0018, 0031: only the custodian unseals, with a reason and a code", label="unseal",
         path={"key": Ref("complaint", "ref")},
         body={"action": "unseal", "reason": "需联系家长核实作业情况", "code": Code(CUSTODIAN)}),
    # after-school days (点名、接送、统计)
    Case("afterschool_days:attendance", "GET", TEACHERS | OFFICE,
         "0014: the course teacher, the basic-part supervisor (the head teacher) and the office take attendance"),
    Case("afterschool_days:session", "GET", COURSE_RUNNERS, "0014: the course's teacher and the office",
         path={"session_id": Ref("session")}),
    Case("afterschool_days:mark", "POST", COURSE_RUNNERS, "0014", path={"session_id": Ref("session")},
         body={"student_id": Ref("student"), "status": "present"}, neighbour=False),
    Case("afterschool_days:all-present", "POST", COURSE_RUNNERS, "0014", path={"session_id": Ref("session")}),
    Case("afterschool_days:family-attendance", "GET", FAMILY,
         "A GET /children/{id}/attendance: a guardian's own child"),
    Case("afterschool_days:pickup", "GET", FAMILY, "G 接送预约: 家长"),
    Case("afterschool_days:pickup", "POST", FAMILY, "0014: the family books before 14:00",
         body={"programme": Ref("programme"), "child": Ref("student"), "slot": Ref("slot"), "date": TODAY}),
    Case("afterschool_days:leave", "GET", FAMILY, "Issue 15: 请假 is the family's, for its own children"),
    Case("afterschool_days:leave", "POST", FAMILY, "Issue 15, 0052: a guardian reports leave for their child",
         body={"programme": Ref("programme"), "child": Ref("student"), "start_date": TOMORROW}),
    Case("afterschool_days:leave", "POST", FAMILY, "Issue 15, 0052: a guardian withdraws it before the day",
         label="withdraw", body={"leave": Ref("leave")}),
    Case("afterschool_days:pickup-persons", "GET", FAMILY, "Issue 15: the family names who may collect its child"),
    Case("afterschool_days:pickup-persons", "POST", FAMILY, "Issue 15, 0052: a guardian names another pickup person",
         body={"programme": Ref("programme"), "child": Ref("student"), "name": "李阿姨", "relationship": "carer",
               "phone": "13912340000", "start_date": TOMORROW}),
    Case("afterschool_days:pickup-persons", "POST", FAMILY, "Issue 15, 0052: a guardian takes it back",
         label="withdraw", body={"person": Ref("pickup_person")}),
    Case("afterschool_days:arrangements", "GET", OFFICE,
         "0014, 0021: the office staffs slots and arranges substitutes"),
    Case("afterschool_days:arrangements", "POST", OFFICE, "0014: the office assigns gate duty", label="duty",
         query={"programme": Ref("programme"), "date": TOMORROW},
         body={"programme": Ref("programme"), "date": TOMORROW, "action": "duty", "slot": Ref("slot"),
               "teacher": Ref("teacher")}),
    Case("afterschool_days:gate", "GET", GATE, "A GET /gate: staff on duty, the office"),
    Case("afterschool_days:gate-export", "GET", GATE,
         "Issue 15: the gate list as .xlsx, to whom the gate list shows (names and classes only)"),
    Case("afterschool_days:depart", "POST", GATE, "A POST /gate/departures (every child leaving at the gate)",
         body={"programme": Ref("programme"), "child": Ref("student")}, neighbour=False),
    Case("afterschool_days:late", "GET", GATE,
         "0014, A GET /late-flags: the head teacher, the office; 404 else"),
    Case("afterschool_days:figures", "GET", OFFICE, "A GET /figures/school: the school office",
         query={"school": Ref("school"), "term": Ref("term")}),
    Case("afterschool_days:figures-export", "GET", OFFICE, "A GET /figures/school/export",
         query={"school": Ref("school"), "term": Ref("term")}),
    Case("afterschool_days:district", "GET", DISTRICT_FIGURES,
         "A GET /figures/district: bureau staff and inspectors"),
    Case("afterschool_days:district-export", "GET", DISTRICT_FIGURES, "A GET /figures/district/export"),
    # after-school programmes (课后服务)
    Case("afterschool:home", "GET", STAFF, "A: the school's staff and the bureau read programmes"),
    Case("afterschool:home", "POST", OFFICE, "A: programmes are run by the school office",
         body={"term": Fmt("{school}:{term}"), "name": "2026秋季课后服务（二）"}),
    Case("afterschool:providers", "GET", OFFICE | DISTRICT,
         "A GET /providers: bureau and school offices register"),
    Case("afterschool:providers", "POST", OFFICE, "A POST /providers: a school office for its own school",
         label="school", body={"scope": Fmt("s:{school}"), "name": "区科技馆", "kind": "science_base"}),
    Case("afterschool:providers", "POST", {BUREAU}, "A POST /providers: bureau staff for their region",
         label="region", body={"scope": Fmt("r:{region}"), "name": "区少年宫", "kind": "culture_centre"}),
    Case("afterschool:providers", "POST", OFFICE, "A POST /providers/{id}/staff: the registrant only",
         label="staff",
         body={"action": "staff", "provider": Ref("provider"), "name": "王教练", "qualification": "二级"}),
    Case("afterschool:detail", "GET", STAFF, "A: the school's staff and the bureau read them",
         path={"programme_id": Ref("programme")}),
    Case("afterschool:detail", "POST", OFFICE, "A Programme definition: office; 403 staff and bureau",
         path={"programme_id": Ref("programme")}, body={"action": "settings", "name": "2026秋季课后服务（修订）"}),
    Case("afterschool:course-new", "GET", OFFICE, "A Programme definition: office",
         path={"programme_id": Ref("programme")}),
    Case("afterschool:course-new", "POST", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")},
         body={"name": "围棋", "category": "other", "capacity": "20", "weekdays": ["2"],
               "runner": Fmt("t:{teacher}")}),
    Case("afterschool:course-edit", "GET", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme"), "course_id": Ref("course")}),
    Case("afterschool:course-edit", "POST", OFFICE,
         "0013: after the allocation room and description may change",
         path={"programme_id": Ref("programme"), "course_id": Ref("course")},
         body={"name": "科学实验", "category": "science", "capacity": "30", "weekdays": ["1", "3"],
               "runner": Fmt("t:{teacher}"), "room": "实验室2"}),
    Case("afterschool:applications", "GET", OFFICE,
         "0013: hardship and flags are shown only to the school office",
         path={"programme_id": Ref("programme")}),
    Case("afterschool:applications-export", "GET", OFFICE,
         "0013, issue 15: the applications list as .xlsx, the school office only",
         path={"programme_id": Ref("programme")}),
    Case("afterschool:applications", "POST", OFFICE, "0013: the office verifies hardship",
         path={"programme_id": Ref("programme")}, body={"application": Ref("application"), "verified": "1"}),
    Case("afterschool:allocation", "GET", OFFICE, "0013: the office runs the allocation",
         path={"programme_id": Ref("programme")}),
    Case("afterschool:allocation", "POST", OFFICE, "0013: the office raises a course's places",
         label="capacity", path={"programme_id": Ref("programme")},
         body={"action": "capacity", "course": Ref("course"), "capacity": "35"}),
    Case("afterschool:late-join", "GET", FAMILY, "Issue 15: a family that missed the window asks to join"),
    Case("afterschool:late-join", "POST", FAMILY, "0052: a guardian asks for their own child",
         body={"programme": Ref("programme"), "child": Ref("student"), "basic_part": "on"}),
    Case("afterschool:late-joins", "GET", OFFICE, "0052: the school office decides late join requests",
         path={"programme_id": Ref("programme")}),
    Case("afterschool:late-joins", "POST", OFFICE, "0052: the school office decides", label="decide",
         path={"programme_id": Ref("programme")}, body={"request": Ref("late_join"), "decision": "decline"}),
    Case("afterschool:family", "GET", FAMILY, "A Families: a guardian's own children only"),
    Case("afterschool:family", "POST", FAMILY, "0013: opting out is always possible", label="leave_course",
         body={"action": "leave_course", "programme": Ref("programme"), "student": Ref("student")}),
    Case("afterschool:choose", "GET", FAMILY, "A Families",
         path={"programme_id": Ref("programme"), "student_id": Ref("student")}),
    Case("afterschool:choose", "POST", FAMILY, "A PUT …/application",
         path={"programme_id": Ref("programme"), "student_id": Ref("student")},
         body={"rank_1": Ref("course"), "basic_part": "on"}),
    # the API's own pages
    Case("api:api-root", "GET", frozenset(),
         "django-ninja's root of /api/v1/: not a page (404 for everyone)"),
    Case("api:openapi-json", "GET", ALL, "A: the OpenAPI schema is served at /api/v1/openapi.json"),
    Case("api:openapi-view", "GET", ALL, "A: interactive docs at /api/v1/docs"),
]
# fmt: on


def _api(method: str, route: str, who: frozenset[str], why: str, **kw: Any) -> Case:
    return Case(f"{method} /api/v1{route}", method, who, why, **kw)


HW_ITEM = {
    "subject": "math",
    "kind": "written",
    "where": "home",
    "minutes": 10,
    "tier": "required",
    "date_set": TODAY,
    "description": "口算练习一页",
}
PLAN = {"grade": 4, "kind": "final", "subjects": ["math"], "date": "2026-12-29"}
COURSE = {"name": "科学实验", "category": "science", "capacity": 30, "weekdays": [1, 3], "room": "实验室2"}

# fmt: off
API: list[Case] = [
    # accounts
    _api("GET", "/accounts/me", SIGNED_IN, "A: the signed-in user"),
    _api("GET", "/accounts/two-step-accounts", {BUREAU}, "0019, A: bureau staff only (404 for everyone else)",
         query={"school_id": Ref("school")}, filter=True),
    _api("POST", "/accounts/two-step-accounts/{user_id}/reset", {BUREAU}, "0019, 0031",
         path={"user_id": Ref("reset_target")}, body={"reason": "本人到教育局当面核实身份", "code": Code(BUREAU)},
         neighbour=False),
    # schools
    _api("POST", "/schools/roster/import", ROSTER, "A Roster import: inspector 403, anyone else 404",
         query={"school_id": Ref("school"), "dry_run": "true"}, files=ROSTER_FILE),
    _api("GET", "/schools/calendar/terms/{term_id}/days", OFFICE | DISTRICT,
         "G 校历: the school office, its bureau", path={"term_id": Ref("term")}),
    _api("GET", "/schools/calendar/is-school-day", OFFICE | DISTRICT, "G 校历",
         query={"school_id": Ref("school"), "date": TODAY}),
    _api("POST", "/schools/calendar/entries", ROSTER, "A: principal, academic affairs, bureau staff above",
         body={"school_id": Ref("school"), "date": "2026-12-07", "kind": "no_school", "name": "运动会"}),
    _api("POST", "/schools/calendar/holiday-years", {BUREAU}, "0006: the bureau enters a year",
         body={"region_code": Ref("region", "code"), "year": 2027,
               "entries": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]}),
    # policy engine
    _api("POST", "/policy/evaluate", SIGNED_IN, "0028: what-if with plain facts answers anyone signed in",
         label="facts",
         body={"facts": {"homework_day": {"grade": 5, "day_type": "school_day", "items": []}}}),
    _api("POST", "/policy/evaluate", OFFICE | DISTRICT, "0028: how a school (its office) or a bureau asks",
         label="school",
         body={"school_id": Ref("school"), "on": TODAY, "facts": {"homework_day": {"grade": 5, "items": []}}}),
    _api("GET", "/policy/rules", SIGNED_IN, "A: the national catalogue"),
    _api("GET", "/policy/profile", OFFICE | DISTRICT, "as the profile page: the principal's and the bureau's",
         query={"school_id": Ref("school")}),
    # homework
    _api("POST", "/homework/items", {SUBJECT_TEACHER}, "A: only a teacher of that class and subject (math)",
         body={**HW_ITEM, "class_ids": [Ref("class")], "date_due": TOMORROW}),
    _api("POST", "/homework/preview", {SUBJECT_TEACHER}, "A: the same body plus class_id",
         body={**HW_ITEM, "class_id": Ref("class")}),
    _api("POST", "/homework/items/{item_id}/approve", DECIDERS, "0024", path={"item_id": Ref("pending")},
         body={"reason": "单元复习周"}),
    _api("POST", "/homework/items/{item_id}/withdraw", {SUBJECT_TEACHER}, "A: the posting teacher",
         path={"item_id": Ref("item")}),
    _api("GET", "/homework/items/mine", SIGNED_IN,
         "A: the signed-in teacher's items (a list of the caller's own)"),
    _api("PATCH", "/homework/items/{item_id}", {SUBJECT_TEACHER}, "A: the posting teacher; anyone else's 404",
         path={"item_id": Ref("item")}, body={"minutes": 15}),
    _api("GET", "/homework/exceptions", OFFICE, "0024, A: 教导处 and the principal; others 404",
         query={"monday": TODAY}),
    _api("GET", "/homework/classes/{class_id}/week", STAFF, "as the class week page",
         path={"class_id": Ref("class")}, query={"monday": TODAY}),
    _api("POST", "/homework/classes/{class_id}/publish", {HEAD_TEACHER},
         "0008, A: the head teacher publishes", path={"class_id": Ref("class")}, body={"date": TODAY}),
    _api("POST", "/homework/reports", FAMILY,
         "0003, A: only for the parent's own children (staff included: 404)",
         body={"student_id": Ref("student"), "date": TODAY, "idempotency_key": "matrix-api",
               "minutes_total": 50}),
    _api("GET", "/homework/reports/{student_id}/{day}", FAMILY, "A: 404 if the child is not the caller's",
         path={"student_id": Ref("student"), "day": TODAY}),
    _api("GET", "/homework/classes/{class_id}/feedback", STAFF,
         "D: the class's teachers see aggregated feedback, the office school-wide, the district dashboards",
         path={"class_id": Ref("class")}, query={"date": TODAY}),
    _api("POST", "/homework/items/{item_id}/reject", DECIDERS, "0024", path={"item_id": Ref("pending")},
         body={"reason": "请分两天布置"}),
    _api("POST", "/homework/classes/{class_id}/quotas", {HEAD_TEACHER}, "A: the head teacher's quota",
         path={"class_id": Ref("class")}, body={"subject": "math", "minutes": 20}),
    _api("POST", "/homework/classes/{class_id}/publication", DECIDERS,
         "A, G: the head teacher's public page, the office standing in (0045)", path={"class_id": Ref("class")}),
    # exams
    _api("GET", "/exams/plans", SIGNED_IN, "A: filed exams the caller may see: the school office, the district (G)",
         shows=("school", "name"), sees=OFFICE | DISTRICT),
    _api("POST", "/exams/plans", OFFICE, "0009, 0027: principal or academic affairs file", label="file",
         body={**PLAN, "school_id": Ref("school"), "term_id": Ref("term")}),
    _api("POST", "/exams/plans", {BUREAU},
         "0027: only district bureau staff file a rule-breaking plan, with a reason", label="exception",
         body={**PLAN, "kind": "monthly", "date": "2026-12-10", "school_id": Ref("school"),
               "term_id": Ref("term"), "exception_reason": "区统一安排的学业质量监测"}),
    _api("PUT", "/exams/plans/{plan_id}", EXAM_CHANGERS, "0027", path={"plan_id": Ref("exam_future")},
         body={**PLAN, "grade": 3, "term_id": Ref("term")}),
    _api("POST", "/exams/plans/{plan_id}/withdraw", EXAM_CHANGERS, "0027",
         path={"plan_id": Ref("exam_future")}),
    _api("POST", "/exams/plans/{plan_id}/release", OFFICE, "0027", path={"plan_id": Ref("exam_done")}),
    _api("GET", "/exams/levels/pending", SIGNED_IN,
         "A: for a teacher, the exams whose levels they keep (own list)"),
    _api("POST", "/exams/plans/{plan_id}/results", {SUBJECT_TEACHER},
         "0009: the math teacher of the pupil's class", path={"plan_id": Ref("exam_done")},
         body=[{"student_id": Ref("student"), "subject": "math", "level": "良好"}],
         refused_as={"exam_level_invalid"}),
    _api("POST", "/exams/plans/{plan_id}/results/paste", {SUBJECT_TEACHER}, "0009, 0027",
         path={"plan_id": Ref("exam_done")},
         body={"class_id": Ref("class"), "subject": "math", "levels": "良好"}),
    _api("GET", "/exams/plans/{plan_id}/distribution", TEACHERS | OFFICE, "A: staff of the class or school",
         path={"plan_id": Ref("exam_done")}, query={"class_id": Ref("class"), "subject": "math"}),
    _api("GET", "/exams/children/{student_id}/levels", FAMILY,
         "A: a guardian's own child (404 for anyone else's)", path={"student_id": Ref("student")}),
    # complaints
    _api("POST", "/cases/complaints", FAMILY, "A: a parent files about their own child",
         body={"student_id": Ref("student"), "category": "homework", "text": "孩子每天作业写到很晚，希望减少",
               "idempotency_key": "matrix-api"}),
    _api("GET", "/cases/complaints", SIGNED_IN,
         "A: complaints the caller handles (a list of the caller's scope)", shows=("complaint", "text"),
         sees=COMPLAINT_READERS),
    _api("POST", "/cases/complaints/{ref}/acknowledge", HANDLERS, "A, 0032",
         path={"ref": Ref("complaint", "ref")}),
    _api("POST", "/cases/complaints/{ref}/answer", HANDLERS, "A, 0032", path={"ref": Ref("complaint", "ref")},
         body={"answer": "已调整作业量，每天不超过一小时"}),
    _api("POST", "/cases/complaints/{ref}/assign", HANDLERS,
         "0046: the handling level assigns (bureau on a school-level one: 409)",
         path={"ref": Ref("complaint", "ref")}, body={}),
    _api("GET", "/cases/complaints/{ref}/notes", HANDLERS, "0046: notes for the complaint's handlers only",
         path={"ref": Ref("complaint", "ref")}),
    _api("POST", "/cases/complaints/{ref}/notes", HANDLERS, "0046: notes for the complaint's handlers only",
         path={"ref": Ref("complaint", "ref")}, body={"text": "已电话联系班主任核实作业量"}),
    _api("POST", "/cases/complaints/{ref}/answer/approve", {PRINCIPAL},
         "0046: only the principal signs off (no draft: 409)", path={"ref": Ref("complaint", "ref")}),
    _api("POST", "/cases/complaints/{ref}/answer/return", {PRINCIPAL},
         "0046: only the principal returns a draft (no draft: 409)", path={"ref": Ref("complaint", "ref")},
         body={"reason": "请补充整改措施和时间"}),
    _api("POST", "/cases/complaints/{ref}/close", HANDLERS,
         "0046: a handler closes an answered complaint (unanswered: 409)", path={"ref": Ref("complaint", "ref")},
         body={"note": "已答复并落实整改，予以办结"}),
    _api("GET", "/cases/receipts/{code}", ALL, "A: public", path={"code": Ref("complaint", "receipt_code")}),
    _api("POST", "/cases/complaints/record", {BUREAU}, "A: bureau staff record a phone or letter complaint",
         body={"school_id": Ref("school"), "category": "homework", "text": "电话反映：作业太多写不完", "channel": "phone"}),
    # after-school days
    _api("GET", "/afterschool/days/sessions", TEACHERS | OFFICE,
         "0014: who takes attendance, for their sessions", query={"date": TODAY}),
    _api("GET", "/afterschool/days/sessions/{session_id}", COURSE_RUNNERS, "A Attendance",
         path={"session_id": Ref("session")}),
    _api("POST", "/afterschool/days/sessions/{session_id}/attendance", COURSE_RUNNERS, "A Attendance",
         path={"session_id": Ref("session")}, body={"student_id": Ref("student"), "status": "present"},
         neighbour=False),
    _api("POST", "/afterschool/days/sessions/{session_id}/all-present", COURSE_RUNNERS, "A Attendance",
         path={"session_id": Ref("session")}),
    _api("POST", "/afterschool/days/programmes/{programme_id}/basic-supervisors", OFFICE,
         "0014: the office assigns", path={"programme_id": Ref("programme")},
         body={"class_id": Ref("class"), "teacher_id": Ref("teacher")}, neighbour=False),
    _api("GET", "/afterschool/days/programmes/{programme_id}/covers", OFFICE, "0021: the office",
         path={"programme_id": Ref("programme")}, query={"date": "2026-11-25"}),
    _api("POST", "/afterschool/days/programmes/{programme_id}/covers", OFFICE,
         "0021: the office arranges a substitute", path={"programme_id": Ref("programme")},
         body={"date": "2026-12-02", "course_id": Ref("course"), "teacher_id": Ref("teacher"),
               "reason": "外出培训"}),
    _api("DELETE", "/afterschool/days/covers/{cover_id}", OFFICE, "0021: the office withdraws it",
         path={"cover_id": Ref("cover")}),
    _api("GET", "/afterschool/days/children/{student_id}/attendance", FAMILY,
         "A: a guardian's own child (404 otherwise)", path={"student_id": Ref("student")}),
    _api("POST", "/afterschool/days/programmes/{programme_id}/pickup-slots", OFFICE,
         "A: the office adds a slot", path={"programme_id": Ref("programme")}, body={"time": "19:00"}),
    _api("GET", "/afterschool/days/children/{student_id}/pickup", FAMILY, "A: a guardian's own child",
         path={"student_id": Ref("student")}),
    _api("POST", "/afterschool/days/children/{student_id}/pickup", FAMILY | OFFICE,
         "A, 0014: the guardian (or the school office) books", path={"student_id": Ref("student")},
         body={"programme_id": Ref("programme"), "slot_id": Ref("slot"), "date": TODAY}),
    _api("GET", "/afterschool/days/children/{student_id}/leave", FAMILY, "Issue 15: a guardian's own child",
         path={"student_id": Ref("student")}),
    _api("POST", "/afterschool/days/children/{student_id}/leave", FAMILY | OFFICE,
         "0052: the guardian reports leave (or the school office, for a family that telephones)",
         path={"student_id": Ref("student")}, body={"programme_id": Ref("programme"), "start_date": TOMORROW}),
    _api("DELETE", "/afterschool/days/leave/{leave_id}", FAMILY | OFFICE, "0052: whoever may report it withdraws it",
         path={"leave_id": Ref("leave")}),
    _api("GET", "/afterschool/days/children/{student_id}/pickup-persons", FAMILY, "Issue 15: a guardian's own child",
         path={"student_id": Ref("student")}),
    _api("POST", "/afterschool/days/children/{student_id}/pickup-persons", FAMILY | OFFICE,
         "0052: the guardian names another pickup person (or the office, for a family that telephones)",
         path={"student_id": Ref("student")},
         body={"programme_id": Ref("programme"), "name": "李阿姨", "relationship": "carer", "phone": "13912340000",
               "start_date": TOMORROW}),
    _api("DELETE", "/afterschool/days/pickup-persons/{person_id}", FAMILY | OFFICE,
         "0052: whoever may name the person takes it back", path={"person_id": Ref("pickup_person")}),
    _api("GET", "/afterschool/days/programmes/{programme_id}/staffing", OFFICE,
         "0014: the office staffs the slots", path={"programme_id": Ref("programme")}, query={"date": TODAY}),
    _api("POST", "/afterschool/days/programmes/{programme_id}/duties", OFFICE, "0014: gate duty (the office)",
         path={"programme_id": Ref("programme")},
         body={"slot_id": Ref("slot"), "date": TOMORROW, "teacher_id": Ref("teacher")}),
    _api("POST", "/afterschool/days/programmes/{programme_id}/duties/batch", OFFICE,
         "Issue 15 G3: several teachers on gate duty at once (the office)",
         path={"programme_id": Ref("programme")},
         body={"slot_id": Ref("slot"), "date": TOMORROW, "teacher_ids": [Ref("teacher")]}),
    _api("DELETE", "/afterschool/days/duties/{duty_id}", OFFICE, "0014", path={"duty_id": Ref("duty")}),
    _api("GET", "/afterschool/days/gate", GATE, "A: staff on duty, the office"),
    _api("POST", "/afterschool/days/gate/departures", GATE,
         "A: staff on duty (every child at the gate), the office",
         body={"programme_id": Ref("programme"), "student_id": Ref("student")}, neighbour=False),
    _api("DELETE", "/afterschool/days/gate/departures/{departure_id}", GATE, "A: undo a mis-tap the same day",
         path={"departure_id": Ref("departure")}),
    _api("GET", "/afterschool/days/late-flags", GATE,
         "0014, A: the head teacher's classes, the office; 404 else"),
    _api("GET", "/afterschool/days/figures/school", OFFICE, "A: the school office",
         query={"school_id": Ref("school"), "term_id": Ref("term")}),
    _api("GET", "/afterschool/days/figures/school/export", OFFICE, "A: the school office",
         query={"school_id": Ref("school"), "term_id": Ref("term")}),
    _api("GET", "/afterschool/days/figures/district", DISTRICT_FIGURES, "A: bureau staff and inspectors",
         query={"school_year": "2026-2027", "kind": "autumn"}),
    _api("GET", "/afterschool/days/figures/district/export", DISTRICT_FIGURES,
         "A: bureau staff and inspectors", query={"school_year": "2026-2027", "kind": "autumn"}),
    # after-school programmes
    _api("GET", "/afterschool/programmes", SIGNED_IN, "A: programmes the caller may see: the school's staff, the bureau",
         shows=("school", "name"), sees=STAFF),
    _api("POST", "/afterschool/programmes", OFFICE, "A: office; 403 for the school's staff and the bureau",
         body={"school_id": Ref("school"), "term_id": Ref("term"), "name": "2026秋季课后服务（二）"}),
    _api("GET", "/afterschool/programmes/{programme_id}", STAFF,
         "A: the school's staff and the bureau read them", path={"programme_id": Ref("programme")}),
    _api("PATCH", "/afterschool/programmes/{programme_id}", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")}, body={"name": "2026秋季课后服务（修订）"}),
    _api("PUT", "/afterschool/programmes/{programme_id}/slots", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")},
         body=[{"weekday": 1, "part": "basic", "start": "15:40", "end": "16:40"}]),
    _api("PUT", "/afterschool/programmes/{programme_id}/subsidies", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")}, body={"hardship": 100}),
    _api("POST", "/afterschool/programmes/{programme_id}/courses", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")},
         body={**COURSE, "name": "围棋", "teacher_id": Ref("teacher")}),
    _api("PUT", "/afterschool/programmes/{programme_id}/courses/{course_id}", OFFICE,
         "A Programme definition", path={"programme_id": Ref("programme"), "course_id": Ref("course")},
         body={**COURSE, "teacher_id": Ref("teacher")}),
    _api("DELETE", "/afterschool/programmes/{programme_id}/courses/{course_id}", OFFICE,
         "A Programme definition", path={"programme_id": Ref("programme"), "course_id": Ref("course")}),
    _api("POST", "/afterschool/programmes/{programme_id}/open", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")}),
    _api("POST", "/afterschool/programmes/{programme_id}/close", OFFICE, "A Programme definition",
         path={"programme_id": Ref("programme")}),
    _api("GET", "/afterschool/programmes/{programme_id}/applications", OFFICE, "0013, A Allocation (office)",
         path={"programme_id": Ref("programme")}),
    _api("POST", "/afterschool/programmes/{programme_id}/applications/{application_id}/hardship", OFFICE,
         "0013: the office verifies",
         path={"programme_id": Ref("programme"), "application_id": Ref("application")},
         body={"verified": True}),
    _api("POST", "/afterschool/programmes/{programme_id}/allocation", OFFICE, "0013, A Allocation (office)",
         path={"programme_id": Ref("programme")}, body={"seed": 20260828}),
    _api("POST", "/afterschool/programmes/{programme_id}/publish", OFFICE, "0013, A Allocation (office)",
         path={"programme_id": Ref("programme")}),
    _api("GET", "/afterschool/programmes/{programme_id}/results", OFFICE, "A Allocation (office)",
         path={"programme_id": Ref("programme")}),
    _api("POST", "/afterschool/programmes/{programme_id}/courses/{course_id}/cancel", OFFICE, "0013",
         path={"programme_id": Ref("programme"), "course_id": Ref("course")}),
    _api("POST", "/afterschool/programmes/{programme_id}/courses/{course_id}/capacity", OFFICE, "0013",
         path={"programme_id": Ref("programme"), "course_id": Ref("course")}, body={"capacity": 35}),
    _api("POST", "/afterschool/programmes/{programme_id}/courses/{course_id}/merge", OFFICE, "0013",
         path={"programme_id": Ref("programme"), "course_id": Ref("course")},
         body={"into_course_id": Ref("course2")}),
    _api("POST", "/afterschool/programmes/{programme_id}/withdrawals", FAMILY | OFFICE,
         "A: the family or the office", path={"programme_id": Ref("programme")},
         body={"student_id": Ref("student"), "scope": "course"}),
    _api("GET", "/afterschool/providers", OFFICE | DISTRICT,
         "A: the bureau and school offices keep providers"),
    _api("POST", "/afterschool/providers", OFFICE, "A: a school office for its own school", label="school",
         body={"name": "区科技馆", "kind": "science_base", "school_id": Ref("school")}),
    _api("POST", "/afterschool/providers", {BUREAU}, "A: bureau staff register for their region",
         label="region", body={"name": "区少年宫", "kind": "culture_centre", "region_id": Ref("region")}),
    _api("POST", "/afterschool/providers/{provider_id}/staff", OFFICE, "A: the registrant only",
         path={"provider_id": Ref("provider")}, body={"name": "王教练", "qualification": "二级"}),
    _api("GET", "/afterschool/family", FAMILY, "A Families: a guardian's own children only; 404 otherwise"),
    _api("PUT", "/afterschool/programmes/{programme_id}/children/{student_id}/application", FAMILY,
         "A Families", path={"programme_id": Ref("programme"), "student_id": Ref("student")},
         body={"course_ids": [Ref("course")], "basic_part": True}),
    _api("DELETE", "/afterschool/programmes/{programme_id}/children/{student_id}/application", FAMILY,
         "A Families: opting out is always possible",
         path={"programme_id": Ref("programme"), "student_id": Ref("student")}),
    _api("PUT", "/afterschool/programmes/{programme_id}/children/{student_id}/late-join", FAMILY,
         "0052: a guardian asks to join after the window",
         path={"programme_id": Ref("programme"), "student_id": Ref("student")}, body={"basic_part": True}),
    _api("GET", "/afterschool/programmes/{programme_id}/late-joins", OFFICE, "0052: the school office",
         path={"programme_id": Ref("programme")}),
    _api("POST", "/afterschool/late-joins/{request_id}/decision", OFFICE, "0052: the school office decides",
         path={"request_id": Ref("late_join")}, body={"accept": False}),
    _api("GET", "/afterschool/district", DISTRICT_FIGURES, "A District (bureau staff, inspectors)"),
]
# fmt: on

CASES: list[Case] = PAGES + API


# --- where the code disagrees with the declarations ------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """Cells known to disagree with their row, reported and not yet decided or fixed. The matrix fails
    when such a cell starts to agree (remove the finding) and `test_known_findings` is an xfail that
    passes once all of them do."""

    key: str  # Case.key
    cells: tuple[tuple[str, str], ...]  # (scope, persona)
    what: str


def _cells(scopes: str, *personas: str) -> tuple[tuple[str, str], ...]:
    return tuple((scope, p) for scope in scopes.split() for p in personas)


FINDINGS: list[Finding] = [
    # None known. Decided in docs/decisions/0045: the five found by the first run.
]
