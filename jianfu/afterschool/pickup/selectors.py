"""Reads for flexible pickup (弹性离校): slots, each child's pickup time, staffing from the bookings,
the gate list, and repeated late pickups for the head teacher.

A child with no booking for a day is picked up at the default slot: the service's end
(`days.rules.default_pickup_time`, decision 0014).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from jianfu.afterschool.attendance.selectors import (
    basic_slot,
    came_and_away,
    course_times,
    day_last_end,
    participant_ids,
    roster_order,
    service_days,
    service_end,
    slots_prefetch,
    weekday_slots,
)
from jianfu.afterschool.collectors.selectors import persons_on
from jianfu.afterschool.days.rules import (
    SlotNeed,
    booking_open,
    default_pickup_time,
    late_window,
    repeatedly_late,
    staffing,
)
from jianfu.afterschool.leave.selectors import leaves_ahead, leaves_on
from jianfu.afterschool.models import (
    Application,
    CourseStatus,
    Departure,
    Enrolment,
    EnrolmentStatus,
    PickupBooking,
    PickupSlot,
    Programme,
    ProgrammeStatus,
    StaffDuty,
)
from jianfu.afterschool.permissions import head_teacher_class_ids
from jianfu.afterschool.selectors import programmes_for_office
from jianfu.core.masking import mask_phone
from jianfu.schools.models import SchoolClass, Student, Teacher, TeachingAssignment


def running_programmes(on: date) -> QuerySet[Programme]:
    return Programme.objects.filter(
        status=ProgrammeStatus.PUBLISHED, term__start_date__lte=on, term__end_date__gte=on
    ).select_related("school__region", "term")


def running_programmes_by_school(school_ids: Iterable[int], on: date) -> dict[int, Programme]:
    """Each school's running programme in one query."""
    out: dict[int, Programme] = {}
    for p in running_programmes(on).filter(school_id__in=set(school_ids)).order_by("pk"):
        out.setdefault(p.school_id, p)
    return out


def pickup_slots(programme: Programme) -> list[PickupSlot]:
    cached: list[PickupSlot] | None = getattr(programme, "_days_pickup_slots", None)
    if cached is None:
        cached = list(PickupSlot.objects.filter(programme=programme).order_by("time"))
        programme._days_pickup_slots = cached  # type: ignore[attr-defined]
    return cached


def default_slot(programme: Programme, on: date) -> PickupSlot | None:
    slots = pickup_slots(programme)
    t = default_pickup_time([s.time for s in slots], service_end(programme, on.isoweekday()))
    return next((s for s in slots if s.time == t), None)


def expected_ids(programme: Programme, on: date) -> set[int]:
    """Children expected at school that day: with a session, less those marked absent or on leave,
    and less those whose family reported leave (unless a teacher has marked them as come)."""
    return _day_ids(programme, on)[0]


def _day_ids(programme: Programme, on: date) -> tuple[set[int], dict[int, Any]]:
    """The children expected that day, and those on a family's leave with their leave."""
    participants = participant_ids(programme, on)
    came, away = came_and_away(programme, on)
    # The programme's leaves for the day, fewer than its children, read without a list of every
    # child's id (the gate list is read on each search keystroke).
    leave = {
        sid: x for sid, x in leaves_on(programme.pk, on).items() if sid in participants and sid not in came
    }
    return participants - away - set(leave), leave


def pickup_times(
    programme: Programme, on: date, student_ids: set[int]
) -> dict[int, tuple[PickupSlot | None, bool]]:
    """Each child's pickup slot that day and whether the family booked it (False: the default)."""
    fallback = default_slot(programme, on)
    slots = {s.pk: s for s in pickup_slots(programme)}
    # The day's bookings of the programme, kept for the children asked about in Python: the callers
    # ask about the whole day, and a list of every child's id costs more than the rows it spares.
    booked = {
        student_id: slots[slot_id]
        for student_id, slot_id in PickupBooking.objects.filter(programme=programme, date=on).values_list(
            "student_id", "slot_id"
        )
        if slot_id in slots and student_id in student_ids
    }
    return {sid: (booked[sid], True) if sid in booked else (fallback, False) for sid in student_ids}


def staffing_for(programme: Programme, on: date) -> dict[str, Any]:
    """Per slot: children still at school after the previous slot, staff needed
    (ceil(children / pickup_children_per_staff)), the duties assigned and how many are missing."""
    slots = pickup_slots(programme)
    expected = expected_ids(programme, on)
    times = pickup_times(programme, on, expected)
    needs: list[SlotNeed] = staffing(
        [s.time for s in slots],
        [slot.time for slot, _ in times.values() if slot is not None],
        programme.pickup_children_per_staff,
    )
    duties: dict[int, list[StaffDuty]] = defaultdict(list)
    for d in StaffDuty.objects.filter(programme=programme, date=on).select_related("teacher").order_by("pk"):
        duties[d.slot_id].append(d)
    fallback = default_slot(programme, on)
    rows = []
    for slot, need in zip(slots, needs, strict=True):
        assigned = duties.get(slot.pk, [])
        rows.append(
            {
                "slot": slot,
                "children": need.children,
                "leaving": need.leaving,
                "booked": sum(1 for s, b in times.values() if b and s is not None and s.pk == slot.pk),
                "needed": need.needed,
                "duties": assigned,
                "short": max(0, need.needed - len(assigned)),
                "is_default": fallback is not None and fallback.pk == slot.pk,
            }
        )
    return {
        "date": on,
        "expected": len(expected),
        "per_staff": programme.pickup_children_per_staff,
        "rows": rows,
        "short_slots": sum(1 for r in rows if r["short"]),
    }


def gate_programmes_for(actor: Any, on: date) -> list[Programme]:
    if not getattr(actor, "is_authenticated", False):
        return []
    office = programmes_for_office(actor).values("pk")
    on_duty = StaffDuty.objects.filter(date=on, teacher__user=actor).values("programme_id")
    return list(running_programmes(on).filter(Q(pk__in=office) | Q(pk__in=on_duty)).order_by("school__code"))


@dataclass(frozen=True, slots=True)
class GateChild:
    """A child as the gate list shows them: name and class only, never a 学籍号 or a phone."""

    pk: int
    name: str
    school_class_id: int
    school_class: SchoolClass


def gate_children(school_id: int, ids: set[int]) -> dict[int, GateChild]:
    """The children by id with their class and grade. The gate list of a whole school is read on
    every search keystroke (issue 15: under 100 ms at 460 children), so the school's children are read
    as plain tuples — cheaper than a model instance each or a 460-parameter IN list — and its few
    classes once, shared; a child who has moved school since applying is read by id."""
    rows = [
        r
        for r in Student.objects.filter(school_id=school_id).values_list("pk", "name", "school_class_id")
        if r[0] in ids
    ]
    missing = ids - {r[0] for r in rows}
    if missing:
        rows += Student.objects.filter(pk__in=missing).values_list("pk", "name", "school_class_id")
    class_ids = {r[2] for r in rows}
    classes = {c.pk: c for c in SchoolClass.objects.filter(pk__in=class_ids).select_related("grade")}
    return {pk: GateChild(pk, name, class_id, classes[class_id]) for pk, name, class_id in rows}


def gate_list(programme: Programme, on: date) -> list[dict[str, Any]]:
    """Today's children by pickup slot, with their departure if recorded (name and class only); the
    children on a family's leave last, in their own group (`leave`), so the gate sees they are not
    coming rather than missing them."""
    expected, on_leave = _day_ids(programme, on)
    times = pickup_times(programme, on, expected)
    students = gate_children(programme.school_id, expected | set(on_leave))
    away = [students[sid] for sid in on_leave if sid in students]
    for sid in on_leave:
        students.pop(sid, None)
    departures = {
        d.student_id: d
        for d in Departure.objects.filter(programme=programme, date=on).select_related("pickup_person")
    }
    # Who else the family named to collect the child today (name, relationship, masked phone): the
    # programme's for the day, fewer than its children, read without a list of every child's id.
    persons = persons_on(programme.pk, on)
    groups: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for s in roster_order(students.values()):
        slot, booked = times[s.pk]
        groups[slot.pk if slot else None].append(
            {
                "student": s,
                "booked": booked,
                "departure": departures.get(s.pk),
                "persons": persons.get(s.pk, []),
            }
        )
    out = []
    fallback = default_slot(programme, on)
    for slot in [*pickup_slots(programme), None]:
        key = slot.pk if slot else None
        if key in groups:
            children = groups[key]
            out.append(
                {
                    "slot": slot,
                    "is_default": slot is not None and fallback is not None and slot.pk == fallback.pk,
                    "children": children,
                    "left": sum(1 for c in children if c["departure"]),
                }
            )
    if away:
        out.append(
            {
                "slot": None,
                "is_default": False,
                "leave": True,
                "children": [
                    {"student": s, "booked": False, "departure": None, "leave": on_leave[s.pk]}
                    for s in roster_order(away)
                ],
                "left": 0,
            }
        )
    return out


def _late_by_child(
    programme: Programme, on: date, class_ids: set[int] | None
) -> tuple[list[date], dict[int, list[Departure]], list[int]]:
    """The window of service days, each child's late departures in it, and the children flagged."""
    window = late_window(service_days(programme, until=on), on)
    if not window:
        return [], {}, []
    qs = Departure.objects.filter(programme=programme, date__in=window, late_minutes__gt=0)
    if class_ids is not None:
        qs = qs.filter(student__school_class_id__in=class_ids)
    by_child: dict[int, list[Departure]] = defaultdict(list)
    for d in qs.order_by("date"):
        by_child[d.student_id].append(d)
    flagged = [sid for sid, ds in by_child.items() if repeatedly_late([d.date for d in ds], window)]
    return window, by_child, flagged


def late_flags(programme: Programme, on: date, *, class_ids: set[int] | None = None) -> list[dict[str, Any]]:
    """Children picked up late on LATE_THRESHOLD or more of the last LATE_WINDOW_SERVICE_DAYS service
    days (decision 0014), optionally only in some classes. For the head teacher and the office only."""
    window, by_child, flagged = _late_by_child(programme, on, class_ids)
    if not flagged:
        return []
    students = Student.objects.filter(pk__in=flagged).select_related("school_class__grade")
    return [
        {
            "student": s,
            "count": len(by_child[s.pk]),
            "dates": [d.date for d in by_child[s.pk]],
            "late_minutes": sum(d.late_minutes for d in by_child[s.pk]),
            "max_late": max(d.late_minutes for d in by_child[s.pk]),
            "window_from": window[0],
            "window_to": window[-1],
        }
        for s in roster_order(students)
    ]


def _head_teacher_classes(actor: Any) -> dict[int, int]:
    """The actor's classes as head teacher (by membership or as the class's head teacher), each with
    its school, in one query."""
    ids = head_teacher_class_ids(actor)
    q = Q(pk__in=ids)
    if getattr(actor, "pk", None):
        q |= Q(head_teacher__user=actor)
    elif not ids:
        return {}
    return dict(SchoolClass.objects.filter(q).order_by().values_list("pk", "school_id"))


def late_flags_for_actor(actor: Any, on: date) -> list[dict[str, Any]] | None:
    """Flags the actor may see: their own classes as head teacher, the whole school as its office.
    None when the actor is neither (the page answers 404)."""
    head_of = _head_teacher_classes(actor)
    classes = set(head_of)
    office = set(programmes_for_office(actor).values_list("school_id", flat=True))
    if not classes and not office:
        return None
    class_schools = set(head_of.values())
    out: list[dict[str, Any]] = []
    for programme in (
        running_programmes(on).filter(school_id__in=class_schools | office).order_by("school__code")
    ):
        scope = None if programme.school_id in office else classes
        for flag in late_flags(programme, on, class_ids=scope):
            out.append({**flag, "programme": programme})
    return out


def late_flag_count(actor: Any, on: date) -> int:
    """For the head teacher's menu: how many children of their classes are flagged (counted from the
    departures alone, without reading the children)."""
    head_of = _head_teacher_classes(actor)
    if not head_of:
        return 0
    classes = set(head_of)
    return sum(
        len(_late_by_child(p, on, classes)[2])
        for p in running_programmes(on).filter(school_id__in=set(head_of.values()))
    )


def _plan_days(programme: Programme, start: date) -> list[date]:
    """The service days a pickup plan is drawn from: every one left in the term, so each week a
    standing booking covers can be seen (issue 15, finding G6)."""
    return service_days(programme, start=start)


def _plan_rows(
    programme: Programme,
    upcoming: list[date],
    booked: dict[date, PickupSlot],
    now_local: Any,
    leave_days: set[date] | None = None,
) -> list[dict[str, Any]]:
    out = []
    for d in upcoming:
        fallback = default_slot(programme, d)
        out.append(
            {
                "date": d,
                "slot": booked.get(d, fallback),
                "booked": d in booked,
                "default": fallback,
                "open": booking_open(d, now_local),
                # The latest time that may be booked: the end of the day's last part.
                "last_end": day_last_end(programme, d.isoweekday()),
                "leave": d in (leave_days or set()),
            }
        )
    return out


def pickup_cards(
    children: Iterable[Student], *, now_local: Any, days: int | None = None
) -> list[dict[str, Any]]:
    """The pickup card of each child, in the order given, as the family's page and
    GET /children/{id}/pickup show it: {"child", "programme": None} for a child taking no part in
    their school's running programme today; otherwise also "slots" (the programme's pickup slots)
    and "plan" (the child's service days from today to the end of the term, or the first `days` of
    them, with their bookings and the family's leave). A fixed number of queries per school,
    whatever the number of children."""
    today = now_local.date()
    children = list(children)
    taking = _taking_part(children, today)
    calendar: dict[int, list[date]] = {}
    upcoming: dict[int, list[date]] = {}
    for child_id, (programme, weekdays) in taking.items():
        if programme.pk not in calendar:
            calendar[programme.pk] = _plan_days(programme, today)
        upcoming[child_id] = [d for d in calendar[programme.pk] if d.isoweekday() in weekdays][:days]
    leave_days: dict[int, set[date]] = defaultdict(set)
    for leave in leaves_ahead(list(upcoming), today).values():
        for x in leave:
            leave_days[x.student_id] |= {d for d in upcoming[x.student_id] if x.start_date <= d <= x.end_date}
    booked: dict[int, dict[date, PickupSlot]] = defaultdict(dict)
    dates = {d for ds in upcoming.values() for d in ds}
    if dates:
        for b in PickupBooking.objects.filter(student_id__in=list(upcoming), date__in=dates).select_related(
            "slot"
        ):
            booked[b.student_id][b.date] = b.slot
    cards: list[dict[str, Any]] = []
    for child in children:
        if child.pk not in taking:
            cards.append({"child": child, "programme": None})
            continue
        programme = taking[child.pk][0]
        cards.append(
            {
                "child": child,
                "programme": programme,
                "slots": pickup_slots(programme),
                "plan": _plan_rows(
                    programme, upcoming[child.pk], booked[child.pk], now_local, leave_days[child.pk]
                ),
            }
        )
    return cards


def participating_weekdays(programme: Programme, student_id: int) -> set[int]:
    """The weekdays on which the child has a session (placed courses' weekdays; basic-part days)."""
    return participating_weekdays_by_child([(programme, student_id)])[(programme.pk, student_id)]


def participating_weekdays_by_child(
    pairs: Iterable[tuple[Programme, int]],
) -> dict[tuple[int, int], set[int]]:
    """participating_weekdays for many (programme, child) pairs, keyed by (programme id, child id), in
    three queries whatever the number of children and programmes."""
    pairs = list(pairs)
    out: dict[tuple[int, int], set[int]] = {(p.pk, sid): set() for p, sid in pairs}
    if not pairs:
        return out
    programmes = {p.pk: p for p, _ in pairs}
    student_ids = {sid for _, sid in pairs}
    slots_prefetch(programmes.values())
    for e in Enrolment.objects.filter(
        programme_id__in=list(programmes),
        student_id__in=student_ids,
        status=EnrolmentStatus.PLACED,
        course__status=CourseStatus.OPEN,
    ).select_related("course"):
        key = (e.programme_id, e.student_id)
        if key in out:
            slots = weekday_slots(programmes[e.programme_id])
            out[key] |= {
                w for w in (e.course.weekdays or []) if w in slots and course_times(e.course, slots[w])
            }
    for key in Application.objects.filter(
        programme_id__in=list(programmes),
        student_id__in=student_ids,
        basic_part=True,
        withdrawn_at__isnull=True,
    ).values_list("programme_id", "student_id"):
        if key in out:
            programme = programmes[key[0]]
            out[key] |= {w for w in weekday_slots(programme) if basic_slot(programme, w) is not None}
    return out


def programmes_taken_part_in(children: Iterable[Student], on: date) -> dict[int, Programme]:
    """For each child taking part in their school's running programme on `on`: that programme, by
    child id (children taking no part are left out). Five queries whatever the number of children."""
    return {sid: p for sid, (p, _) in _taking_part(children, on).items()}


def _taking_part(children: Iterable[Student], on: date) -> dict[int, tuple[Programme, set[int]]]:
    """Children taking part in their school's running programme on `on`, with that programme and
    the weekdays they take part on. Children of one school share one Programme instance."""
    children = list(children)
    programmes = running_programmes_by_school({c.school_id for c in children}, on)
    pairs = [(programmes[c.school_id], c.pk) for c in children if c.school_id in programmes]
    days = participating_weekdays_by_child(pairs)
    return {sid: (p, days[(p.pk, sid)]) for p, sid in pairs if days[(p.pk, sid)]}


def gate_rows(programme: Programme, on: date) -> list[dict[str, Any]]:
    """gate_list flattened: one row per child in the list's order, each with its group (the slot)."""
    return [
        {**child, "group": group, "programme": programme}
        for group in gate_list(programme, on)
        for child in group["children"]
    ]


def gate_slot_key(group: dict[str, Any]) -> str:
    """How the slot filter names a group: the slot's id, "leave" for the children on leave, or
    "none" for children with no slot."""
    if group.get("leave"):
        return "leave"
    return str(group["slot"].pk) if group["slot"] is not None else "none"


def gate_filter(
    rows: list[dict[str, Any]], *, q: str = "", cls: str = "", slot: str = ""
) -> list[dict[str, Any]]:
    """The rows whose child's name or class contains q (a class as the list shows it, e.g. 三(2)班,
    or its number alone), in the class and slot asked for (blank: any)."""
    out = rows
    if cls:
        out = [r for r in out if str(r["student"].school_class_id) == cls]
    if slot:
        out = [r for r in out if gate_slot_key(r["group"]) == slot]
    if q:
        labels: dict[int, str] = {}  # a school's few classes, each written once
        for r in out:
            if r["student"].school_class_id not in labels:
                labels[r["student"].school_class_id] = str(r["student"].school_class)
        out = [r for r in out if q in r["student"].name or q in labels[r["student"].school_class_id]]
    return out


def teachers_for_picker(school_id: int) -> list[Teacher]:
    """The school's teachers by name for the office's pickers, each with a `label`: the name, and for
    namesakes (two 张伟) what tells them apart — the class they head, else a subject and class they
    teach, else the masked phone (issue 15, finding G3). Three queries."""
    teachers = list(Teacher.objects.filter(school_id=school_id).select_related("user").order_by("name", "pk"))
    counts = Counter(t.name for t in teachers)
    namesakes = {t.pk for t in teachers if counts[t.name] > 1}
    detail: dict[int, str] = {}
    if namesakes:
        for c in (
            SchoolClass.objects.filter(head_teacher_id__in=namesakes).select_related("grade").order_by("pk")
        ):
            if c.head_teacher_id is not None:
                detail.setdefault(c.head_teacher_id, gettext("%(class)s班主任") % {"class": c})
        for a in (
            TeachingAssignment.objects.filter(teacher_id__in=namesakes)
            .select_related("school_class__grade")
            .order_by("pk")
        ):
            detail.setdefault(a.teacher_id, f"{a.get_subject_display()} · {a.school_class}")
    seen: Counter[str] = Counter(f"{t.name}{detail.get(t.pk, '')}" for t in teachers if t.pk in namesakes)
    for t in teachers:
        if t.pk not in namesakes:
            t.label = t.name  # type: ignore[attr-defined]
            continue
        extra = detail.get(t.pk, "")
        if not extra or seen[f"{t.name}{extra}"] > 1:
            extra = f"{extra} · {mask_phone(t.user.phone)}" if extra else mask_phone(t.user.phone)
        t.label = f"{t.name}（{extra}）"  # type: ignore[attr-defined]
    return teachers
