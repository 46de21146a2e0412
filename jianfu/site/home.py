"""The home page as each role's work list for today (issue 15, product review D1; decision 0051).

One section per role the user holds, each a short list of things to do, the most urgent first, with
a count and one link to act. Every figure is read through the apps' selectors, in a fixed number of
queries however many classes a school has (tests/site: the query-count bound); only what the role
may see anyway is counted (families' reports as a count only, decision 0035; a school's complaints
from their release, decision 0032).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jianfu.accounts.models import Role
from jianfu.feedback.rules import report_day
from jianfu.schools.access import BUREAU_ROLES, memberships_of, schools_for_actor

# How urgent an entry is: the list is sorted on it, and the page colours it.
URGENT, TODO, INFO = 0, 1, 2


@dataclass
class Line:
    text: str
    url: str = ""


@dataclass
class Entry:
    label: str
    url: str
    count: int | None = None
    level: int = INFO
    lines: list[Line] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]

    def __post_init__(self) -> None:
        # Most urgent first; within a level, the order the section wrote them.
        self.entries.sort(key=lambda e: e.level)


def _day(d: date) -> str:
    return date_format(d, _("n月j日"))


# --- sections ----------------------------------------------------------------------------------------


def teacher_section(user: Any, today: date) -> Section | None:
    from jianfu.exams.selectors import plans_awaiting_levels
    from jianfu.homework.selectors import teacher_today

    day = teacher_today(user, today)
    if not day["classes"]:
        return None
    entries = []
    pending = day["pending"]
    if pending:
        entries.append(
            Entry(
                ngettext("%(n)s项作业等待特批", "%(n)s项作业等待特批", len(pending)) % {"n": len(pending)},
                reverse("homework:mine"),
                len(pending),
                TODO,
                [
                    Line(
                        _("%(day)s %(class)s %(minutes)s分钟")
                        % {"day": _day(i.date_set), "class": i.school_class, "minutes": i.minutes}
                    )
                    for i in pending[:5]
                ],
            )
        )
    open_exams = [p for p in plans_awaiting_levels(user, today) if p["open"] and p["filled"] < p["rows"]]
    if open_exams:
        entries.append(
            Entry(
                ngettext("%(n)s场考试待录入等级", "%(n)s场考试待录入等级", len(open_exams))
                % {"n": len(open_exams)},
                reverse("exams:levels"),
                len(open_exams),
                TODO,
            )
        )
    lines = []
    for row in day["classes"]:
        subjects = _("、").join(row["subjects"])
        if row["posted"]:
            text = ngettext(
                "%(class)s（%(subjects)s）：今天已布置%(n)s项，共%(minutes)s分钟",
                "%(class)s（%(subjects)s）：今天已布置%(n)s项，共%(minutes)s分钟",
                row["posted"],
            ) % {"class": row["class"], "subjects": subjects, "n": row["posted"], "minutes": row["minutes"]}
        else:
            text = _("%(class)s（%(subjects)s）：今天还没有布置作业") % {
                "class": row["class"],
                "subjects": subjects,
            }
        lines.append(Line(text, reverse("homework:class-week", args=[row["class"].pk])))
    entries.append(Entry(_("今天的班级"), reverse("homework:post"), None, INFO, lines))
    return Section("teacher", _("任课教师"), entries)


def head_teacher_section(user: Any, class_ids: list[int], now_local: datetime) -> Section | None:
    from jianfu.afterschool.days.permissions import late_flags_to_see
    from jianfu.feedback.selectors import report_counts
    from jianfu.homework.days.selectors import week_start
    from jianfu.homework.selectors import class_days, pending_for_deciders
    from jianfu.schools.selectors import classes_by_id

    if not class_ids:
        return None
    today = now_local.date()
    monday = week_start(today)
    week = [monday + timedelta(days=i) for i in range(7)]
    classes = classes_by_id(class_ids)
    loads = class_days(class_ids, week)
    pending = pending_for_deciders(class_ids, user, today)
    asked = report_day(now_local)
    reported = report_counts(class_ids, asked)
    entries = []
    for cid in class_ids:
        school_class = classes.get(cid)
        if school_class is None:
            continue
        week_url = reverse("homework:class-week", args=[cid])
        n = pending.get(cid, 0)
        if n:
            entries.append(
                Entry(
                    ngettext(
                        "%(class)s：%(n)s项超上限作业待你审批",
                        "%(class)s：%(n)s项超上限作业待你审批",
                        n,
                    )
                    % {"class": school_class, "n": n},
                    week_url,
                    n,
                    URGENT,
                )
            )
        load = loads.get((cid, today))
        if load is not None and load.items and load.published_at is None:
            entries.append(
                Entry(_("%(class)s：今天的作业还没有公示") % {"class": school_class}, week_url, None, TODO)
            )
        elif load is not None and load.needs_republish:
            entries.append(
                Entry(
                    _("%(class)s：公示后作业有变动，请重新公示") % {"class": school_class},
                    week_url,
                    None,
                    TODO,
                )
            )
        elif load is not None and load.published_at is not None:
            entries.append(
                Entry(_("%(class)s：今天的作业已公示") % {"class": school_class}, week_url, None, INFO)
            )
        days_over = [d for d in week if (x := loads.get((cid, d))) is not None and x.over_cap]
        if load is not None and load.cap_minutes is not None:
            today_text = _("今天书面作业%(minutes)s分钟，上限%(cap)s分钟") % {
                "minutes": load.counted_minutes,
                "cap": load.cap_minutes,
            }
        else:
            today_text = _("今天还没有布置作业")
        week_text = ngettext("本周%(n)s天超出上限", "本周%(n)s天超出上限", len(days_over)) % {
            "n": len(days_over)
        }
        entries.append(
            Entry(
                _("%(class)s：本班作业量") % {"class": school_class},
                week_url,
                None,
                URGENT if load is not None and load.over_cap else INFO,
                [Line(today_text), Line(week_text)],
            )
        )
        families = reported.get(cid, 0)
        entries.append(
            Entry(
                ngettext(
                    "%(class)s：%(n)s位家长反馈了%(day)s的作业用时",
                    "%(class)s：%(n)s位家长反馈了%(day)s的作业用时",
                    families,
                )
                % {"class": school_class, "n": families, "day": _day(asked)},
                week_url,
                families,
                INFO,
            )
        )
    late = late_flags_to_see(user, {Role.HEAD_TEACHER}, today)
    if late:
        entries.append(
            Entry(
                ngettext("%(n)s名学生多次晚接", "%(n)s名学生多次晚接", late) % {"n": late},
                reverse("afterschool_days:late"),
                late,
                TODO,
            )
        )
    return Section("head_teacher", _("班主任"), entries)


def office_section(user: Any, now_local: datetime, *, title: str) -> Section | None:
    from jianfu.afterschool.attendance.selectors import sessions_not_taken
    from jianfu.afterschool.selectors import programmes_for_office
    from jianfu.cases.selectors import open_complaints_by_deadline
    from jianfu.exams.selectors import plans_waiting_for_office
    from jianfu.feedback.selectors import classes_over_cap_reported
    from jianfu.homework.days.selectors import week_start
    from jianfu.homework.exceptions.selectors import pending_exceptions_count, unread_exception_notices
    from jianfu.homework.permissions import exception_overseer_schools
    from jianfu.homework.selectors import classes_over_cap

    school_ids = exception_overseer_schools(user)
    if not school_ids:
        return None
    today = now_local.date()
    monday = week_start(today)
    so_far = [monday + timedelta(days=i) for i in range((today - monday).days + 1)]
    entries = []

    pending = pending_exceptions_count(school_ids, monday)
    unread = unread_exception_notices(school_ids)
    label = ngettext("本周%(n)s项特批待审批", "本周%(n)s项特批待审批", pending) % {"n": pending}
    if unread:
        label += ngettext("（%(n)s条新通知）", "（%(n)s条新通知）", unread) % {"n": unread}
    entries.append(Entry(label, reverse("homework:exceptions"), pending, TODO if pending else INFO))

    complaints = open_complaints_by_deadline(user, now=now_local)
    soon = today + timedelta(days=2)
    lines = []
    urgent = False
    for c in complaints["first"]:
        due = c.due
        if due is not None and due <= soon:
            urgent = True
        lines.append(
            Line(
                _("%(school)s · %(category)s · 期限%(due)s")
                % {
                    "school": c.school.name,
                    "category": c.get_category_display(),
                    "due": _day(due) if due else _("未定"),
                },
                reverse("cases:detail", args=[c.ref]),
            )
        )
    entries.append(
        Entry(
            ngettext("%(n)s件家长反映待办理", "%(n)s件家长反映待办理", complaints["count"])
            % {"n": complaints["count"]},
            reverse("cases:list"),
            complaints["count"],
            URGENT if urgent else (TODO if complaints["count"] else INFO),
            lines,
        )
    )

    over = classes_over_cap(school_ids, so_far)
    entries.append(
        Entry(
            ngettext(
                "本周%(n)s个班级布置的书面作业超出上限",
                "本周%(n)s个班级布置的书面作业超出上限",
                len(over),
            )
            % {"n": len(over)},
            reverse("homework:overview"),
            len(over),
            TODO if over else INFO,
            [
                Line(
                    ngettext(
                        "%(class)s：%(n)s天超出，最多%(minutes)s/%(cap)s分钟",
                        "%(class)s：%(n)s天超出，最多%(minutes)s/%(cap)s分钟",
                        o["days"],
                    )
                    % {"class": o["class"], "n": o["days"], "minutes": o["minutes"], "cap": o["cap"]},
                    reverse("homework:grade-week", args=[o["class"].pk]),
                )
                for o in over[:5]
            ],
        )
    )
    reported: dict[int, Any] = {}
    for row in classes_over_cap_reported(school_ids, so_far):
        reported.setdefault(row.school_class_id, row)
    entries.append(
        Entry(
            ngettext(
                "本周%(n)s个班级家长反馈的用时超出上限",
                "本周%(n)s个班级家长反馈的用时超出上限",
                len(reported),
            )
            % {"n": len(reported)},
            reverse("homework:overview"),
            len(reported),
            TODO if reported else INFO,
            [
                Line(str(row.school_class), reverse("homework:class-week", args=[cid]))
                for cid, row in list(reported.items())[:5]
            ],
        )
    )

    exams = plans_waiting_for_office(school_ids, today)
    if exams["levels"] or exams["release"]:
        entries.append(
            Entry(
                _("考试：%(levels)s场待录入等级，%(release)s场待发布")
                % {"levels": len(exams["levels"]), "release": len(exams["release"])},
                reverse("exams:plans"),
                len(exams["levels"]) + len(exams["release"]),
                TODO,
            )
        )

    programmes = list(programmes_for_office(user).values_list("pk", flat=True))
    if programmes:
        untaken = sessions_not_taken(programmes, today, now_local.time())
        entries.append(
            Entry(
                ngettext("%(n)s个课后服务班次还没有点名", "%(n)s个课后服务班次还没有点名", untaken)
                % {"n": untaken},
                reverse("afterschool_days:attendance"),
                untaken,
                URGENT if untaken else INFO,
            )
        )
    return Section("office", title, entries)


def bureau_section(user: Any, now_local: datetime, *, title: str) -> Section | None:
    from jianfu.cases.selectors import open_complaints_by_school
    from jianfu.homework.days.selectors import week_start
    from jianfu.homework.selectors import classes_over_cap

    schools = list(schools_for_actor(user, roles=BUREAU_ROLES).order_by("code"))
    if not schools:
        return None
    today = now_local.date()
    monday = week_start(today)
    so_far = [monday + timedelta(days=i) for i in range((today - monday).days + 1)]
    over: dict[int, int] = {}
    for o in classes_over_cap([s.pk for s in schools], so_far):
        over[o["school_id"]] = over.get(o["school_id"], 0) + 1
    complaints = open_complaints_by_school(user, today)
    rows = []
    for s in schools:
        c = complaints.get(s.pk, {"open": 0, "overdue": 0})
        if not (over.get(s.pk) or c["open"]):
            continue
        rows.append((c["overdue"], over.get(s.pk, 0), c["open"], s))
    rows.sort(key=lambda r: (-r[0], -r[1], -r[2], r[3].code))
    lines = [
        Line(
            _("%(school)s：%(over)s个班级超出作业上限，%(open)s件反映未办结（%(overdue)s件逾期）")
            % {"school": s.name, "over": n_over, "open": n_open, "overdue": n_overdue},
            reverse("homework:overview") + f"#school-{s.pk}",
        )
        for n_overdue, n_over, n_open, s in rows[:10]
    ]
    entries = [
        Entry(
            ngettext("%(n)s所学校需要关注", "%(n)s所学校需要关注", len(rows)) % {"n": len(rows)},
            reverse("homework:overview"),
            len(rows),
            TODO if rows else INFO,
            lines,
        ),
        Entry(_("家长反映"), reverse("cases:list"), sum(c["open"] for c in complaints.values()), INFO),
        Entry(_("举报监督"), reverse("cases:oversight"), None, INFO),
        Entry(_("考试备案"), reverse("exams:plans"), None, INFO),
        Entry(_("课后服务统计"), reverse("afterschool_days:district"), None, INFO),
    ]
    return Section("bureau", title, entries)


def custodian_section(user: Any, now_local: datetime) -> Section:
    from jianfu.cases.selectors import open_complaints_by_deadline, unsealings_by

    complaints = open_complaints_by_deadline(user, now=now_local)
    since = now_local.date() - timedelta(days=30)
    unsealed = unsealings_by(user, since)
    return Section(
        "custodian",
        _("举报保管人"),
        [
            Entry(
                ngettext("本区%(n)s件家长反映未办结", "本区%(n)s件家长反映未办结", complaints["count"])
                % {"n": complaints["count"]},
                reverse("cases:list"),
                complaints["count"],
                TODO if complaints["count"] else INFO,
                [
                    Line(
                        _("%(school)s · %(category)s")
                        % {"school": c.school.name, "category": c.get_category_display()},
                        reverse("cases:detail", args=[c.ref]),
                    )
                    for c in complaints["first"]
                ],
            ),
            Entry(
                ngettext("近30天你启封了%(n)s次身份", "近30天你启封了%(n)s次身份", unsealed)
                % {"n": unsealed},
                reverse("cases:list"),
                unsealed,
                INFO,
            ),
        ],
    )


def parent_section(user: Any, now_local: datetime) -> Section | None:
    from jianfu.afterschool.family.selectors import children_after_school_today
    from jianfu.cases.selectors import complaints_of_family
    from jianfu.feedback.rules import report_window_open
    from jianfu.feedback.selectors import children_of, children_reported
    from jianfu.homework.selectors import class_days

    children = children_of(user)
    if not children:
        return None
    today = now_local.date()
    asked = report_day(now_local)
    loads = class_days(list({c.school_class_id for c in children}), [today, asked])
    reported = children_reported(user, [c.pk for c in children], asked)
    after_school = children_after_school_today(children, today)
    family_url = reverse("homework:family")
    entries = []
    for child in children:
        load = loads.get((child.school_class_id, today))
        if load is not None and load.published_at is not None:
            n = len(load.public_items or [])
            text = ngettext(
                "%(child)s：今天的作业%(n)s项，约%(minutes)s分钟（书面%(written)s分钟）",
                "%(child)s：今天的作业%(n)s项，约%(minutes)s分钟（书面%(written)s分钟）",
                n,
            ) % {
                "child": child.name,
                "n": n,
                "minutes": load.all_kinds_minutes,
                "written": load.counted_minutes,
            }
        else:
            text = _("%(child)s：今天的作业还没有公示") % {"child": child.name}
        entries.append(Entry(text, family_url, None, INFO))
        asked_load = loads.get((child.school_class_id, asked))
        if (
            child.pk not in reported
            and asked_load is not None
            and asked_load.published_at is not None
            and asked_load.all_kinds_minutes > 0
            and report_window_open(asked, now_local)
        ):
            entries.append(
                Entry(
                    _("%(child)s：请反馈%(day)s的实际作业用时") % {"child": child.name, "day": _day(asked)},
                    family_url,
                    None,
                    TODO,
                )
            )
        today_service = after_school.get(child.pk)
        if today_service is not None:
            parts = []
            if today_service["marks"]:
                parts.append(_("点名：%(marks)s") % {"marks": _("、").join(today_service["marks"])})
            if today_service["pickup"] is not None:
                parts.append(_("接送时间%(time)s") % {"time": today_service["pickup"].strftime("%H:%M")})
            if not parts:
                parts.append(_("今天参加"))
            entries.append(
                Entry(
                    _("%(child)s · 课后服务：%(what)s") % {"child": child.name, "what": _("；").join(parts)},
                    reverse("afterschool_days:family-attendance"),
                    None,
                    INFO,
                )
            )
    mine = complaints_of_family(user)
    if mine["answered"] or mine["open"]:
        entries.append(
            Entry(
                ngettext("我的反映：%(n)s件已答复", "我的反映：%(n)s件已答复", mine["answered"])
                % {"n": mine["answered"]}
                + ngettext("，%(n)s件办理中", "，%(n)s件办理中", mine["open"]) % {"n": mine["open"]},
                reverse("cases:mine"),
                mine["answered"],
                TODO if mine["answered"] else INFO,
            )
        )
    return Section("parent", _("家长"), entries)


# --- the page ----------------------------------------------------------------------------------------


def home_sections(user: Any, now: datetime | None = None) -> list[Section]:
    """The signed-in user's sections, one per role they hold (the school's two leader roles share
    one, as do the bureau's two), parents first: a parent who is also a teacher reads home at home."""
    now_local = timezone.localtime(now or timezone.now())
    roles = {m.role for m in memberships_of(user)}
    head_classes = sorted(
        {m.school_class_id for m in memberships_of(user) if m.role == Role.HEAD_TEACHER and m.school_class_id}
    )
    sections: list[Section | None] = []
    if Role.PARENT in roles:
        sections.append(parent_section(user, now_local))
    sections.append(teacher_section(user, now_local.date()))
    sections.append(head_teacher_section(user, head_classes, now_local))
    leaders = [
        str(label)
        for role, label in Role.choices
        if role in roles and role in (Role.PRINCIPAL, Role.ACADEMIC_AFFAIRS)
    ]
    if leaders:
        sections.append(office_section(user, now_local, title=_("、").join(leaders)))
    bureau = [str(label) for role, label in Role.choices if role in roles and role in BUREAU_ROLES]
    if bureau:
        sections.append(bureau_section(user, now_local, title=_("、").join(bureau)))
    if Role.CUSTODIAN in roles:
        sections.append(custodian_section(user, now_local))
    return [s for s in sections if s is not None]
