"""Facts the evaluator judges. Plain data (pydantic models): the same shapes serve the live checks,
the what-if API (`POST /api/v1/policy/evaluate`) and `jianfu policy check FILE.json`."""

from __future__ import annotations

import datetime as dt
from datetime import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stage = Literal["primary", "junior", "senior"]
DayType = Literal["school_day", "weekend", "holiday", "vacation"]
HomeworkKind = Literal["written", "oral", "reading", "practical", "inquiry", "cross_subject"]
HomeworkWhere = Literal["home", "in_class", "after_school"]
Tier = Literal["required", "basic", "advanced", "extension", "elective"]
ExamKind = Literal["final", "midterm", "mock", "unit", "monthly", "weekly", "quiz"]
Organiser = Literal["school", "regional", "interschool"]


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HomeworkItemFacts(_Facts):
    subject: str = Field(description="学科, e.g. math / 数学", examples=["math"])
    kind: HomeworkKind = Field(
        "written",
        description="书面 written, 口头 oral, 阅读 reading, 实践 practical, 探究 inquiry, 跨学科 cross_subject",
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


class HomeworkDayFacts(_Facts):
    """A class's homework for one day."""

    grade: int = Field(ge=1, le=12, description="年级 1–9 (10–12 senior)")
    stage: Stage | None = Field(
        None, description="学段; omitted → from the profile's grade→stage mapping (五四制: grade 6 is junior)"
    )
    system: Literal["six_three", "five_four"] = Field(
        "six_three", description="学制, used when stage is omitted"
    )
    day_type: DayType = "school_day"
    items: list[HomeworkItemFacts] = Field(default_factory=list)


class ExamFacts(_Facts):
    kind: ExamKind
    paper_based: bool = True
    subjects: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    whole_grade: bool = Field(True, description="set for the whole grade (a 日常考试); a class quiz is not")
    organiser: Organiser = "school"


class ExamTermFacts(_Facts):
    """A term's planned exams for one grade."""

    grade: int = Field(ge=1, le=12)
    stage: Stage | None = None
    system: Literal["six_three", "five_four"] = "six_three"
    graduating: bool | None = Field(
        None, description="the graduating grade of its stage; omitted → grade 9 / grade 6 or 5 by system"
    )
    exams: list[ExamFacts] = Field(default_factory=list)
    level_count: int | None = Field(None, description="levels used to report results, if known")


class ScheduleFacts(_Facts):
    """A school day's schedule."""

    stage: Stage
    class_start: time | None = Field(None, description="first lesson of the morning")
    requires_early_arrival: bool = False
    after_school_end: time | None = None
    off_work_time: time | None = Field(
        None, description="local normal off-work time; omitted → the profile's"
    )
    long_break_minutes: int | None = None
    inter_lesson_break_minutes: int | None = None
    in_school_learning_hours: float | None = None
    evening_self_study_end: time | None = None
    evening_self_study_hours: float | None = None
    new_lessons_in_after_school: bool = False


class NightFacts(_Facts):
    """A child's night."""

    stage: Stage
    bedtime: time
    wake_time: time


class PeWeekFacts(_Facts):
    grade: int = Field(ge=1, le=12)
    stage: Stage | None = None
    system: Literal["six_three", "five_four"] = "six_three"
    pe_periods: int = Field(ge=0)
    total_periods: int | None = None
    labor_periods: int | None = None


class TrainingFacts(_Facts):
    """An off-campus course, or a prepaid contract for one."""

    subject_type: Literal["subject", "non_subject"]
    online: bool = False
    lesson_minutes: int | None = None
    break_minutes: int | None = None
    end_time: time | None = None
    day_type: DayType = "school_day"
    prepaid_months: float | None = None
    prepaid_lessons: int | None = None
    prepaid_amount: float | None = None
    in_custody: bool = True
    training_loan: bool = False
    assigns_homework: bool = False


class AfterSchoolDayFacts(_Facts):
    """One weekday of an after-school programme (课后服务): when its last part ends and how long it runs."""

    weekday: int = Field(ge=1, le=7, description="1 = Monday … 5 = Friday (6, 7 = weekend)")
    end: time = Field(description="end of the day's last part (basic, courses or extended care)")
    service_minutes: int = Field(
        ge=0, le=720, description="minutes of service that day (the parts, with short breaks between them)"
    )


class AfterSchoolProgrammeFacts(_Facts):
    """A school's after-school programme for a term (policy-defaults.md §2.5, §4.6)."""

    days: list[AfterSchoolDayFacts] = Field(default_factory=list, description="one entry per weekday served")
    off_work_time: time | None = Field(
        None, description="local normal off-work time; omitted → the profile's (local by nature)"
    )
    new_lesson_courses: list[str] = Field(
        default_factory=list, description="courses declared as teaching new lessons (讲新课)"
    )
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


class Facts(_Facts):
    """Any combination of fact groups; each given group is evaluated."""

    homework_day: HomeworkDayFacts | None = None
    exam_term: ExamTermFacts | None = None
    schedule: ScheduleFacts | None = None
    night: NightFacts | None = None
    pe_week: PeWeekFacts | None = None
    training: TrainingFacts | None = None
    after_school_programme: AfterSchoolProgrammeFacts | None = None
