"""School structure: regions, schools, grades→stages, classes, people, terms and school days."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy, gettext_noop

# Labels are lazy (rendered in the page's language) but typed as str: the apps above pass these
# choices on as (value, label) pairs of strings, which a lazy label is wherever it is shown.
_ = cast("Callable[[str], str]", gettext_lazy)


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区/县")


class Region(models.Model):
    """An administrative region with its GB/T 2260 six-digit code."""

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        """From the province down to this region itself."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def descendant_codes_prefix(self) -> str:
        """GB/T 2260 codes nest: a province's regions share its first 2 digits, a city's its first 4."""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.CITY:
            return self.code[:4]
        return self.code


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    NINE_YEAR = "nine_year", _("九年一贯制")
    COMPLETE_SECONDARY = "complete_secondary", _("完全中学")


class SchoolSystem(models.TextChoices):
    SIX_THREE = "six_three", _("六三制")
    FIVE_FOUR = "five_four", _("五四制")


class Stage(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")


def stage_for_grade(grade: int, system: str) -> str:
    """Default grade→stage mapping (domain.md; policy-defaults.md §4.3): 五四制 primary is 1–5."""
    primary_last = 5 if system == SchoolSystem.FIVE_FOUR else 6
    if grade <= primary_last:
        return Stage.PRIMARY
    if grade <= 9:
        return Stage.JUNIOR
    return Stage.SENIOR


class School(models.Model):
    code = models.CharField(_("学校标识码"), max_length=10, unique=True)
    name = models.CharField(_("学校名称"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools")
    school_type = models.CharField(_("办学类型"), max_length=24, choices=SchoolType.choices)
    system = models.CharField(
        _("学制"), max_length=16, choices=SchoolSystem.choices, default=SchoolSystem.SIX_THREE
    )
    first_grade = models.PositiveSmallIntegerField(default=1)
    last_grade = models.PositiveSmallIntegerField(default=6)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__code", "code"]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A grade of one school with its stage; the stage is per school because of 五四制."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grades")
    number = models.PositiveSmallIntegerField(_("年级"))
    stage = models.CharField(_("学段"), max_length=16, choices=Stage.choices)

    class Meta:
        ordering = ["school_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="grade_unique_per_school"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=12), name="grade_number_range"
            ),
        ]

    def __str__(self) -> str:
        return grade_label(self.number)


GRADE_LABELS = {
    1: _("一年级"),
    2: _("二年级"),
    3: _("三年级"),
    4: _("四年级"),
    5: _("五年级"),
    6: _("六年级"),
    7: _("七年级"),
    8: _("八年级"),
    9: _("九年级"),
    10: _("高一"),
    11: _("高二"),
    12: _("高三"),
}


def grade_label(number: int) -> str:
    label = GRADE_LABELS.get(number)
    return str(label) if label is not None else gettext("%(number)s年级") % {"number": number}


class SchoolClass(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="classes")
    number = models.PositiveSmallIntegerField(_("班号"))
    head_teacher = models.ForeignKey(
        "Teacher", null=True, blank=True, on_delete=models.SET_NULL, related_name="head_of_classes"
    )

    class Meta:
        ordering = ["school_id", "grade__number", "number"]
        constraints = [models.UniqueConstraint(fields=["grade", "number"], name="class_unique_per_grade")]
        verbose_name = _("班级")

    def __str__(self) -> str:
        return gettext("%(grade)s(%(number)s)班") % {
            "grade": grade_label(self.grade.number),
            "number": self.number,
        }


class Subject(models.TextChoices):
    """The labels stay plain Chinese strings (gettext_noop: in the catalogue, translated where shown,
    e.g. the subject_label filter): homework writes them into stored JSON (a class day's public
    items), which a lazy label cannot go into."""

    CHINESE = "chinese", gettext_noop("语文")
    MATH = "math", gettext_noop("数学")
    ENGLISH = "english", gettext_noop("英语")
    MORALITY = "morality", gettext_noop("道德与法治")
    SCIENCE = "science", gettext_noop("科学")
    PHYSICS = "physics", gettext_noop("物理")
    CHEMISTRY = "chemistry", gettext_noop("化学")
    BIOLOGY = "biology", gettext_noop("生物")
    GEOGRAPHY = "geography", gettext_noop("地理")
    HISTORY = "history", gettext_noop("历史")
    PE = "pe", gettext_noop("体育与健康")
    MUSIC = "music", gettext_noop("音乐")
    ART = "art", gettext_noop("美术")
    IT = "it", gettext_noop("信息科技")
    LABOR = "labor", gettext_noop("劳动")
    PRACTICE = "practice", gettext_noop("综合实践活动")


class Teacher(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teachers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_profiles"
    )
    name = models.CharField(_("姓名"), max_length=50)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="teacher_unique_per_school")]

    def __str__(self) -> str:
        return self.name


class TeachingAssignment(models.Model):
    """Teacher × class × subject: what a subject teacher may post homework for."""

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="assignments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="assignments")
    subject = models.CharField(max_length=16, choices=Subject.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "subject", "teacher"], name="assignment_unique")
        ]


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Student(models.Model):
    """A pupil. The 学籍号 is sensitive: never in a URL or a log, masked where not needed."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="students")
    registry_id = models.CharField(_("学籍号"), max_length=20, unique=True)
    registry_id_verified = models.BooleanField(
        _("学籍号已校验"),
        default=False,
        help_text="G-prefixed numbers pass the GB 11643 check digit and birth date",
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    # 班内学号: the number a child has in the class list (1, 2, 3 …), by which teachers enter marks.
    # Optional: a roster without the column leaves it empty and lists keep the import's order.
    seat = models.PositiveSmallIntegerField(_("学号"), null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["school_class", "is_active"])]

    def __str__(self) -> str:
        return self.name


class Guardian(models.Model):
    """A guardian listed in the roster. The parent account is created from this phone on activation."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("监护人姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11, db_index=True)
    relation = models.CharField(_("关系"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardianships",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "phone"], name="guardian_unique_phone")]


class TermKind(models.TextChoices):
    AUTUMN = "autumn", _("秋季学期")
    SPRING = "spring", _("春季学期")


class Term(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    school_year = models.CharField(_("学年"), max_length=9, help_text="2026-2027")
    kind = models.CharField(max_length=8, choices=TermKind.choices)
    start_date = models.DateField(_("开学日期"))
    end_date = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["school_id", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "kind"], name="term_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="term_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(year)s学年%(kind)s") % {"year": self.school_year, "kind": self.get_kind_display()}


class CalendarEntryKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班日")
    NO_SCHOOL = "no_school", _("停课")
    EXTRA_SCHOOL_DAY = "extra_school_day", _("补课/加课日")


class CalendarEntry(models.Model):
    """A bureau- or school-entered calendar fact.

    Region entries with kind holiday/makeup_workday supply national holidays for years the
    chinese-calendar package does not cover; a HolidayYear row says a year has been entered in full.
    School entries are local exceptions (a sports day with no lessons, a weather closure).
    """

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_entries"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_entries"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=CalendarEntryKind.choices)
    name = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="calendar_entry_one_scope",
                condition=models.Q(region__isnull=False, school__isnull=True)
                | models.Q(region__isnull=True, school__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["region", "date"],
                condition=models.Q(region__isnull=False),
                name="calendar_entry_region_date",
            ),
            models.UniqueConstraint(
                fields=["school", "date"],
                condition=models.Q(school__isnull=False),
                name="calendar_entry_school_date",
            ),
        ]


class HolidayYear(models.Model):
    """A region's declaration that it has entered the national holidays of `year` in full."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="holiday_years")
    year = models.PositiveSmallIntegerField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="holiday_year_unique")]


class DayType(models.TextChoices):
    SCHOOL_DAY = "school_day", _("上课日")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("节假日")
    NO_SCHOOL = "no_school", _("停课")


class SchoolDay(models.Model):
    """Each date of a term with what kind of day it is, derived by jianfu.schools.calendar.rules.

    Materialised so that homework load, deadlines and indicators look a date up instead of
    recomputing holidays; rebuilt in the same transaction whenever the term or an entry changes.
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="days")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    day_type = models.CharField(max_length=16, choices=DayType.choices)
    note = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["school", "date"], name="school_day_unique")]

    @property
    def is_school_day(self) -> bool:
        return self.day_type == DayType.SCHOOL_DAY


class RosterUpload(models.Model):
    """An uploaded roster file between preview and confirm.

    Kept in the database (not a public media path) and deleted with the school; `confirmed_at`
    makes confirming idempotent: a second confirm returns the stored result and writes nothing.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="roster_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    create_classes = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
