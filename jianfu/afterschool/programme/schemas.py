"""Request and response shapes of the programme and allocation API (docs/api.md, "After-school:
programmes and allocation"). No response carries a 学籍号 or a phone number; hardship appears only
in the school office's application list."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class ProgrammeIn(Schema):
    school_id: int
    term_id: int
    name: str
    max_choices: int = Field(3, description="how many courses a family may rank (1–10)")
    priority_rules: dict[str, int] | None = Field(
        None,
        description="flag → weight; flags: both_parents_working, hardship, lost_out_last_round. "
        "A child's tier is the sum of the weights of the flags that apply. Default "
        '{"hardship": 2, "both_parents_working": 1, "lost_out_last_round": 1}',
    )
    choice_opens_at: datetime | None = None
    choice_closes_at: datetime | None = None


class ProgrammeSettingsIn(Schema):
    name: str | None = None
    max_choices: int | None = None
    priority_rules: dict[str, int] | None = None
    choice_opens_at: datetime | None = None
    choice_closes_at: datetime | None = None


class ProgrammeFindingOut(Schema):
    rule_id: str
    severity: str = Field(description="violation (hard rule) or warning (guidance)")
    message_zh: str
    message_en: str
    evidence: dict[str, Any]
    source: str
    profile_on: str = Field(description="the date whose profile produced the finding (seasonal values)")


class ProgrammeOut(Schema):
    id: int
    school_id: int
    school: str
    term_id: int
    name: str
    status: str
    choice_opens_at: datetime | None
    choice_closes_at: datetime | None
    max_choices: int
    priority_rules: dict[str, int]
    findings: list[ProgrammeFindingOut]
    violations: list[str] = Field(description="rule ids of the violations: while any, it cannot open")

    # Read from a Programme (school selected with it by every selector that lists programmes).
    @staticmethod
    def resolve_school(obj: Any) -> str:
        return str(obj.school.name)

    @staticmethod
    def resolve_violations(obj: Any) -> list[str]:
        return sorted({f["rule_id"] for f in obj.findings if f["severity"] == "violation"})


class SlotIn(Schema):
    weekday: int = Field(description="1 = Monday … 7 = Sunday")
    part: str = Field(description="basic / course / extended")
    start: time
    end: time


class SlotOut(SlotIn):
    pass


class CourseIn(Schema):
    name: str
    category: str = Field(description="sport / art / science / reading / labour / other")
    capacity: int
    weekdays: list[int] = Field(description="[1, 3] = Monday and Wednesday; each needs a course part")
    teacher_id: int | None = Field(None, description="a teacher of the school, or…")
    provider_id: int | None = Field(None, description="…an external provider available to the school")
    provider_staff_id: int | None = None
    min_grade: int | None = Field(None, description="default: the school's first grade")
    max_grade: int | None = Field(None, description="default: the school's last grade")
    min_size: int = Field(8, description="below this after the allocation the course is flagged")
    room: str = ""
    start: time | None = Field(None, description="default: the course part's start on its first weekday")
    end: time | None = None
    fee_per_term: Decimal = Field(Decimal("0"), description="yuan per term; 0 = free")
    teaches_new_lessons: bool = Field(
        False, description="declared: a violation (after_school_no_new_lessons)"
    )
    description: str = ""


class CourseOut(Schema):
    id: int
    name: str
    category: str
    status: str = Field(description="open / cancelled / merged")
    teacher: str | None
    provider: str | None
    provider_staff: str | None
    min_grade: int
    max_grade: int
    capacity: int
    min_size: int
    room: str
    weekdays: list[int]
    start: time | None
    end: time | None
    fee_per_term: Decimal
    teaches_new_lessons: bool

    # Names only: a teacher's or provider's record stays behind its own endpoint.
    @staticmethod
    def resolve_teacher(obj: Any) -> str | None:
        return obj.teacher.name if obj.teacher else None

    @staticmethod
    def resolve_provider(obj: Any) -> str | None:
        return obj.provider.name if obj.provider else None

    @staticmethod
    def resolve_provider_staff(obj: Any) -> str | None:
        return obj.provider_staff.name if obj.provider_staff else None


class ProgrammeDetailOut(ProgrammeOut):
    slots: list[SlotOut]
    courses: list[CourseOut]
    subsidies: dict[str, int] = Field(description="category → percent of the fee waived")

    @staticmethod
    def resolve_slots(obj: Any) -> list[Any]:
        return list(obj.slots.all())

    @staticmethod
    def resolve_courses(obj: Any) -> list[Any]:
        return list(obj.courses.select_related("teacher", "provider", "provider_staff").order_by("pk"))

    @staticmethod
    def resolve_subsidies(obj: Any) -> dict[str, int]:
        return {r.category: r.percent for r in obj.subsidy_rules.all()}


class ProviderIn(Schema):
    name: str
    kind: str = Field(description="culture_centre / science_base / sports / non_subject / volunteer / other")
    region_id: int | None = Field(None, description="the bureau registers for its region (vetted), or…")
    school_id: int | None = Field(None, description="…a school office for its own school")
    contact_name: str = ""
    contact_phone: str = Field("", description="stored; never returned by the API")


class ProviderStaffOut(Schema):
    id: int
    name: str
    qualification: str


class ProviderOut(Schema):
    id: int
    name: str
    kind: str
    scope: str = Field(description="region or school")
    vetted: bool
    staff: list[ProviderStaffOut]

    @staticmethod
    def resolve_scope(obj: Any) -> str:
        return "region" if obj.region_id else "school"

    @staticmethod
    def resolve_vetted(obj: Any) -> bool:
        return obj.vetted_at is not None

    @staticmethod
    def resolve_staff(obj: Any) -> list[Any]:
        return list(obj.staff.all())


class StaffIn(Schema):
    name: str
    qualification: str = ""


class ApplicationIn(Schema):
    course_ids: list[int] = Field(
        description="ranked, most wanted first; at most the programme's max_choices"
    )
    basic_part: bool = True
    both_parents_working: bool = False
    hardship_claimed: bool = False
    hardship_category: str = Field(
        "", description="hardship / disability / other; read by the school office only"
    )


class ApplicationOut(Schema):
    id: int
    programme_id: int
    student_id: int
    course_ids: list[int]
    basic_part: bool
    opted_in: bool

    # Read from an Application; the family's ranking in order.
    @staticmethod
    def resolve_course_ids(obj: Any) -> list[int]:
        return [c.course_id for c in obj.choices.order_by("rank")]

    @staticmethod
    def resolve_opted_in(obj: Any) -> bool:
        return obj.withdrawn_at is None


class OfficeApplicationOut(Schema):
    id: int
    student_id: int
    student: str
    school_class: str
    course_ids: list[int]
    basic_part: bool
    both_parents_working: bool
    hardship_claimed: bool
    hardship_category: str
    hardship_verified: bool | None
    priority_flags: list[str]
    opted_in: bool

    # Read from an Application with its student, class and choices (applications_for_office).
    @staticmethod
    def resolve_student(obj: Any) -> str:
        return str(obj.student.name)

    @staticmethod
    def resolve_school_class(obj: Any) -> str:
        return str(obj.student.school_class)

    @staticmethod
    def resolve_course_ids(obj: Any) -> list[int]:
        return [c.course_id for c in obj.choices.all()]

    @staticmethod
    def resolve_opted_in(obj: Any) -> bool:
        return obj.withdrawn_at is None


class HardshipIn(Schema):
    verified: bool


class RunIn(Schema):
    seed: int | None = Field(
        None, description="omit for a random seed (secrets); enter one for a public draw (0 – 2^63−1)"
    )


class RunOut(Schema):
    id: int
    seed: int
    priority_rules: dict[str, int]
    run_at: datetime
    published_at: datetime | None
    applicants: int
    placed: int
    stats: dict[str, Any]


class CourseResultOut(Schema):
    course_id: int
    name: str
    status: str
    placed: int
    capacity: int
    waiting: int
    below_min_size: bool

    # Read from a course_rows() row: {"course", "placed", "capacity", "waiting", "below_min"}.
    @staticmethod
    def resolve_course_id(obj: Any) -> int:
        return int(obj["course"].pk)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj["course"].name)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj["course"].status)

    @staticmethod
    def resolve_below_min_size(obj: Any) -> bool:
        return bool(obj["below_min"])


class ResultsOut(Schema):
    status: str
    courses: list[CourseResultOut]
    runs: list[RunOut]


class MergeIn(Schema):
    into_course_id: int


class CapacityIn(Schema):
    capacity: int


class WithdrawIn(Schema):
    student_id: int
    scope: str = Field("course", description="course: leave the course, keep the basic part; all: opt out")


class FamilyPlaceOut(Schema):
    course_id: int
    course: str
    weekdays: list[int]
    start: time | None
    end: time | None
    room: str
    rank: int | None
    waitlist_position: int | None


class FamilyProgrammeOut(Schema):
    programme_id: int
    name: str
    status: str
    window_open: bool
    choice_closes_at: datetime | None
    max_choices: int
    opted_in: bool
    course_ids: list[int]
    published: bool
    placed: FamilyPlaceOut | None
    waiting: list[FamilyPlaceOut]
    notices: list[str]

    # Read from a family_cards() programme entry: {"programme", "window_open", "opted_in",
    # "choices", "result": {"published", "placed", "waiting"}, "notices"}.
    @staticmethod
    def resolve_programme_id(obj: Any) -> int:
        return int(obj["programme"].pk)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj["programme"].name)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj["programme"].status)

    @staticmethod
    def resolve_choice_closes_at(obj: Any) -> datetime | None:
        return obj["programme"].choice_closes_at  # type: ignore[no-any-return]

    @staticmethod
    def resolve_max_choices(obj: Any) -> int:
        return int(obj["programme"].max_choices)

    @staticmethod
    def resolve_course_ids(obj: Any) -> list[int]:
        return [c.pk for c in obj["choices"]]

    @staticmethod
    def resolve_published(obj: Any) -> bool:
        return bool(obj["result"]["published"])

    @staticmethod
    def resolve_placed(obj: Any) -> dict[str, Any] | None:
        return obj["result"]["placed"] or None

    @staticmethod
    def resolve_waiting(obj: Any) -> list[dict[str, Any]]:
        return list(obj["result"]["waiting"])

    @staticmethod
    def resolve_notices(obj: Any) -> list[str]:
        return [n.text for n in obj["notices"]]


class FamilyChildOut(Schema):
    student_id: int
    name: str
    school_class: str
    programmes: list[FamilyProgrammeOut]

    # Read from a family_cards() card: {"student", "programmes"}.
    @staticmethod
    def resolve_student_id(obj: Any) -> int:
        return int(obj["student"].pk)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj["student"].name)

    @staticmethod
    def resolve_school_class(obj: Any) -> str:
        return str(obj["student"].school_class)


class DistrictRowOut(Schema):
    programme_id: int
    school: str
    name: str
    status: str
    violations: list[str]
    findings: list[ProgrammeFindingOut]
    courses: int
    capacity: int
    placed: int
    fill_rate: float | None
    applicants: int
    external_courses: int
    fee_courses: int
    runs: int = Field(description="allocation runs so far (re-runs before publication are on record)")
    published_seed: int | None

    # Read from a district_overview() row: {"programme", "findings", "courses", "capacity", ...}.
    @staticmethod
    def resolve_programme_id(obj: Any) -> int:
        return int(obj["programme"].pk)

    @staticmethod
    def resolve_school(obj: Any) -> str:
        return str(obj["programme"].school.name)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj["programme"].name)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj["programme"].status)

    @staticmethod
    def resolve_violations(obj: Any) -> list[str]:
        return sorted({f["rule_id"] for f in obj["findings"] if f["severity"] == "violation"})

    @staticmethod
    def resolve_runs(obj: Any) -> int:
        return int(obj["programme"].runs.count())

    @staticmethod
    def resolve_published_seed(obj: Any) -> int | None:
        published = obj["programme"].runs.filter(published_at__isnull=False).first()
        return published.seed if published else None
