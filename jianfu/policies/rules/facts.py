"""Facts the evaluator judges. Plain data (pydantic models): the same shapes serve the live checks,
the what-if API (`POST /api/v1/policy/evaluate`) and `jianfu policy check FILE.json`."""

from __future__ import annotations

import datetime as dt
from datetime import time
from typing import Annotated, Any, Literal

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Stage = Literal["primary", "junior", "senior"]
DayType = Literal["school_day", "weekend", "holiday", "vacation"]
HomeworkKind = Literal["written", "oral", "reading", "practical", "inquiry", "cross_subject"]
HomeworkWhere = Literal["home", "in_class", "after_school"]
Tier = Literal["required", "basic", "advanced", "extension", "elective"]
ExamKind = Literal["final", "midterm", "mock", "unit", "monthly", "weekly", "quiz"]
Organiser = Literal["school", "regional", "interschool"]
System = Literal["six_three", "five_four"]
TermKind = Literal["autumn", "spring"]


def _wall_clock(value: time) -> time:
    """A time of day is a Beijing wall-clock time; one with an offset ("21:00Z", "21:00+08:00") is
    refused rather than compared with the profile's naive limits (security.md L1 #1: HTTP 500)."""
    if value.tzinfo is not None:
        raise PydanticCustomError("time_offset", "a time of day without an offset, e.g. 21:30")
    return value


LocalTime = Annotated[time, AfterValidator(_wall_clock)]

STAGE_NAMES = {"primary": _("小学"), "junior": _("初中"), "senior": _("高中")}
SYSTEM_NAMES = {"six_three": _("六三制"), "five_four": _("五四制")}


def stage_of_grade(grade: int, system: str) -> str:
    """The stage a grade belongs to under a 学制: 六三制 1–6 primary, 五四制 1–5 primary; 7–9 (五四制
    6–9) junior; 10–12 senior. The same mapping as jianfu.schools.models.stage_for_grade, kept pure here."""
    primary_last = 5 if system == "five_four" else 6
    if grade <= primary_last:
        return "primary"
    return "junior" if grade <= 9 else "senior"


def _in(language: str, message: Any, params: dict[str, Any] | None) -> str:
    with translation.override(language):
        return str(message) % {k: str(v) for k, v in params.items()} if params else str(message)


def invalid(code: str, message: Any, params: dict[str, Any] | None = None) -> PydanticCustomError:
    """A validation error from one catalogue message: pydantic's message is the English, and the
    Chinese rides along in the context (jianfu.core.validation shows it first)."""
    return PydanticCustomError(code, _in("en", message, params), {"zh": _in("zh-hans", message, params)})


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class _GradeStage(_Facts):
    """Shared check: a stage given beside a grade must be that grade's stage under the 学制 (either
    学制 when none is given). A grade 12 "junior" would otherwise borrow a looser cap."""

    grade: int
    stage: Stage | None
    system: System | None

    @model_validator(mode="after")
    def _stage_matches_grade(self) -> Any:
        grade, stage, system = self.grade, self.stage, self.system
        if stage is None:
            return self
        systems = [system] if system else ["six_three", "five_four"]
        if stage not in {stage_of_grade(grade, s) for s in systems}:
            raise invalid(
                "stage_contradicts_grade",
                _("学段%(stage)s与%(grade)s年级不符（%(system)s）"),
                {
                    "stage": STAGE_NAMES[stage],
                    "grade": grade,
                    "system": SYSTEM_NAMES[system] if system else _("六三制或五四制"),
                },
            )
        return self


class HomeworkItemFacts(_Facts):
    # The API's field descriptions are English reference text for developers; the Chinese terms they
    # stand for are in these comments: subject 学科 (数学 math); kinds 书面 written, 口头 oral, 阅读
    # reading, 实践 practical, 探究 inquiry, 跨学科 cross_subject.
    subject: str = Field(description="subject code, e.g. math", examples=["math"])
    kind: HomeworkKind = Field(
        "written",
        description="written, oral, reading, practical, inquiry or cross_subject",
    )
    where: HomeworkWhere = Field(
        "home", description="where it is meant to be done: home, in_class, after_school"
    )
    minutes: int = Field(ge=0, le=600, description="estimated completion minutes for a typical student")
    tier: Tier = Field("required", description="required, layered (basic/advanced/extension) or elective")
    needs_parent_marking: bool = Field(False, description="parents must check or mark it")
    assigned_to_parent: bool = Field(False, description="the task is for the parent to do")
    phone_required: bool = Field(False, description="must be done or submitted on a phone")
    self_marking: bool = Field(False, description="students must mark their own work")
    punitive: bool = Field(False, description="punitive or repetitive (e.g. copy 20 times)")


# The school system (学制: 六三制 six_three, 五四制 five_four) and the stage (学段).
SYSTEM_DESCRIPTION = (
    "school system, six_three or five_four; omitted → the school's (with school_id), else six_three. "
    "An explicit value that contradicts the named school's system is refused (422)"
)
STAGE_DESCRIPTION = (
    "stage; omitted → the grade's stage under the school system (five_four: grade 6 is junior). "
    "A stage that contradicts the grade is refused (422)"
)
DAY_TYPE_DESCRIPTION = (
    "omitted → derived from the date (the day's own `date`, else the request's `on`): the school's "
    "calendar with school_id, else the region's or the national calendar with make-up workdays; an "
    "explicit value wins. The response's `derived` reports the day type used"
)


class HomeworkDayFacts(_GradeStage):
    """A class's homework for one day."""

    grade: int = Field(ge=1, le=12, description="grade 1–9 (10–12 senior)")
    stage: Stage | None = Field(None, description=STAGE_DESCRIPTION)
    system: System | None = Field(None, description=SYSTEM_DESCRIPTION)
    day_type: DayType | None = Field(None, description=DAY_TYPE_DESCRIPTION)
    items: list[HomeworkItemFacts] = Field(default_factory=list)


class ExamFacts(_Facts):
    kind: ExamKind
    paper_based: bool = True
    subjects: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    # A whole-grade exam is a 日常考试 (routine exam).
    whole_grade: bool = Field(
        True, description="set for the whole grade (a routine exam); a class quiz is not"
    )
    organiser: Organiser = "school"
    results_published: bool = Field(
        False, description="scores or results are made public (posted, sent to a group, announced)"
    )
    ranking_published: bool = Field(
        False, description="a class or grade ranking of students is published or sent to families"
    )
    placement_by_score: bool = Field(
        False, description="seats or classes are assigned by this exam's scores"
    )  # 按成绩排座位、分班


class ExamTermFacts(_GradeStage):
    """A term's planned exams for one grade."""

    grade: int = Field(ge=1, le=12)
    stage: Stage | None = Field(None, description=STAGE_DESCRIPTION)
    system: System | None = Field(None, description=SYSTEM_DESCRIPTION)
    # autumn: 第一学期/上学期; spring: 第二学期/下学期.
    term: TermKind | None = Field(
        None,
        description="autumn (first term) or spring (second term); omitted → from the school's "
        "calendar (with school_id) or the exams' dates (February–August: spring)",
    )
    graduating: bool | None = Field(
        None, description="the graduating grade of its stage; omitted → grade 9 / grade 6 or 5 by system"
    )
    exams: list[ExamFacts] = Field(default_factory=list)
    level_count: int | None = Field(None, ge=1, description="levels used to report results, if known")


class ScheduleFacts(_Facts):
    """A school day's schedule."""

    stage: Stage
    class_start: LocalTime | None = Field(None, description="first lesson of the morning")
    requires_early_arrival: bool = False
    after_school_end: LocalTime | None = None
    off_work_time: LocalTime | None = Field(
        None, description="local normal off-work time; omitted → the profile's"
    )
    long_break_minutes: int | None = Field(None, ge=0, le=600)
    inter_lesson_break_minutes: int | None = Field(None, ge=0, le=600)
    in_school_learning_hours: float | None = Field(None, ge=0, le=24)
    evening_self_study_end: LocalTime | None = None
    evening_self_study_hours: float | None = Field(None, ge=0, le=24)
    new_lessons_in_after_school: bool = False
    teaching_minutes: int | None = Field(None, ge=1, le=1440, description="the day's teaching minutes")
    electronic_teaching_minutes: int | None = Field(
        None, ge=0, le=1440, description="of those, minutes taught with screens"
    )  # 电子产品

    @model_validator(mode="after")
    def _electronic_within_teaching(self) -> ScheduleFacts:
        if (
            self.teaching_minutes is not None
            and self.electronic_teaching_minutes is not None
            and self.electronic_teaching_minutes > self.teaching_minutes
        ):
            raise invalid("electronic_over_teaching", _("电子产品教学时长不能超过教学总时长"))
        return self


class NightFacts(_Facts):
    """A child's night."""

    stage: Stage
    bedtime: LocalTime
    wake_time: LocalTime

    @model_validator(mode="after")
    def _bedtime_is_not_wake_time(self) -> NightFacts:
        # Equal times would read as 24 hours of sleep (or none): neither is a night anyone means.
        if self.bedtime == self.wake_time:
            raise invalid("bedtime_equals_wake_time", _("就寝时间与起床时间相同"))
        return self


class PeWeekFacts(_GradeStage):
    grade: int = Field(ge=1, le=12)
    stage: Stage | None = Field(None, description=STAGE_DESCRIPTION)
    system: System | None = Field(None, description=SYSTEM_DESCRIPTION)
    pe_periods: int = Field(ge=0, le=100)
    total_periods: int | None = Field(None, ge=0, le=100)
    labor_periods: int | None = Field(None, ge=0, le=100)


class ActivityDayFacts(_Facts):
    """A child's (or a class's typical) physical activity on one day (fitness_notice_2021:
    校内、校外各1小时; edu_power_plan_2025: 综合体育活动每天不少于2小时)."""

    date: dt.date | None = Field(None, description="the day; omitted → the request's `on`")
    day_type: DayType | None = Field(None, description=DAY_TYPE_DESCRIPTION)
    in_school_minutes: int | None = Field(
        None, ge=0, le=1440, description="PE lessons, the long break and organised activity at school"
    )  # the long break: 大课间
    out_of_school_minutes: int | None = Field(None, ge=0, le=1440, description="activity outside school")


class TrainingFacts(_Facts):
    """An off-campus course, or a prepaid contract for one."""

    subject_type: Literal["subject", "non_subject"]
    online: bool = False
    lesson_minutes: int | None = Field(None, ge=1, le=1440)
    break_minutes: int | None = Field(None, ge=0, le=1440)
    end_time: LocalTime | None = None
    date: dt.date | None = Field(None, description="the day of the lesson; omitted → the request's `on`")
    day_type: DayType | None = Field(None, description=DAY_TYPE_DESCRIPTION)
    prepaid_months: float | None = Field(None, ge=0, le=1200)
    prepaid_lessons: int | None = Field(None, ge=0, le=100000)
    prepaid_amount: float | None = Field(None, ge=0, le=1e9, description="CNY")
    in_custody: bool = True
    training_loan: bool = False
    assigns_homework: bool = False


class AfterSchoolDayFacts(_Facts):
    """One weekday of an after-school programme (课后服务): when its last part ends and how long it runs."""

    weekday: int = Field(ge=1, le=7, description="1 = Monday … 5 = Friday (6, 7 = weekend)")
    end: LocalTime = Field(description="end of the day's last part (basic, courses or extended care)")
    service_minutes: int = Field(
        ge=0, le=720, description="minutes of service that day (the parts, with short breaks between them)"
    )


class AfterSchoolProgrammeFacts(_Facts):
    """A school's after-school programme for a term (policy-defaults.md §2.5, §4.6)."""

    days: list[AfterSchoolDayFacts] = Field(default_factory=list, description="one entry per weekday served")
    off_work_time: LocalTime | None = Field(
        None, description="local normal off-work time; omitted → the profile's (local by nature)"
    )
    new_lesson_courses: list[str] = Field(
        default_factory=list, description="courses declared as teaching new lessons"
    )  # 讲新课
    enrolled_by_default: bool = Field(
        False, description="children are signed up unless their family opts out (not voluntary)"
    )
    fees_charged: bool = Field(
        False,
        description=(
            "some course charges a fee. Not judged: after_school_fee_rules is a checklist item "
            "(provinces set the fee policy); carried for display and for a local fee rule"
        ),
    )


class HomeworkPeriodDayFacts(_Facts):
    date: dt.date
    day_type: DayType | None = Field(None, description=DAY_TYPE_DESCRIPTION)
    items: list[HomeworkItemFacts] = Field(default_factory=list)


class HomeworkPeriodFacts(_GradeStage):
    """A class's homework over several days, e.g. a weekend or a holiday (hw_notice_2021: 周末、节假日、
    寒暑假控制书面作业总量). Each day is judged as a homework_day; each run of consecutive rest days is
    also judged as a whole against the profile's period total."""

    grade: int = Field(ge=1, le=12)
    stage: Stage | None = Field(None, description=STAGE_DESCRIPTION)
    system: System | None = Field(None, description=SYSTEM_DESCRIPTION)
    days: list[HomeworkPeriodDayFacts] = Field(min_length=1, max_length=366)

    @model_validator(mode="after")
    def _distinct_dates(self) -> HomeworkPeriodFacts:
        dates = [d.date for d in self.days]
        if len(set(dates)) != len(dates):
            raise invalid("duplicate_date", _("同一日期出现了两次"))
        return self


class Facts(_Facts):
    """Any combination of fact groups (at least one); each given group is evaluated."""

    homework_day: HomeworkDayFacts | None = None
    homework_period: HomeworkPeriodFacts | None = None
    exam_term: ExamTermFacts | None = None
    schedule: ScheduleFacts | None = None
    night: NightFacts | None = None
    pe_week: PeWeekFacts | None = None
    activity_day: ActivityDayFacts | None = None
    training: TrainingFacts | None = None
    after_school_programme: AfterSchoolProgrammeFacts | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Facts:
        # An empty request would answer "no findings", which reads as "all clear" for nothing checked.
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise invalid("facts_empty", _("facts 为空：请至少给出一组事实"))
        return self
