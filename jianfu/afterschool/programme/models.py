"""What a school offers after lessons, who asked for what, and who got a place.

A Programme is one school's service for one term: the days and time slots (ServiceSlot), the basic
part every participating child attends (supervised homework, help for those who struggle) and N
courses (Course) run by a teacher or an external provider. Families opt in and rank courses in a
window (Application + ApplicationChoice); at the close the school runs a seeded, reproducible
allocation (AllocationRun) whose outcome is one Enrolment per child and course (placed or
waitlisted). Families are told what happened through FamilyNotice (in the app; SMS is a task).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CHOOSING = "choosing", _("家长报名选课中")
    ALLOCATED = "allocated", _("已分配（待公布）")
    PUBLISHED = "published", _("已公布，服务进行中")
    CLOSED = "closed", _("已结束")


class Programme(models.Model):
    """One school's after-school service for one term (课后服务实施方案).

    Priority rules are a dict of flag → weight, e.g. {"both_parents_working": 1, "hardship": 2,
    "lost_out_last_round": 1}; a child's tier in the allocation is the sum of the weights of the flags
    that apply to them (docs/decisions/0011-afterschool-allocation.md).
    """

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="afterschool_programmes"
    )
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="afterschool_programmes")
    name = models.CharField(_("方案名称"), max_length=100)
    status = models.CharField(max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT)
    choice_opens_at = models.DateTimeField(_("选课开始"), null=True, blank=True)
    choice_closes_at = models.DateTimeField(_("选课截止"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("最多填报志愿数"), default=3)
    priority_rules = models.JSONField(_("优先规则"), default=dict, blank=True)
    # Children per member of staff at the gate, used to staff late pickup slots from the bookings.
    pickup_children_per_staff = models.PositiveSmallIntegerField(_("每名值守教师照看人数"), default=25)
    # Minutes after a booked pickup time before a departure counts as late.
    pickup_grace_minutes = models.PositiveSmallIntegerField(_("接送宽限（分钟）"), default=10)
    findings = models.JSONField(_("政策检查结果"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-term__start_date", "pk"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self) -> str:
        return self.name


class ServicePart(models.TextChoices):
    BASIC = "basic", _("基础托管（作业辅导、答疑）")
    COURSE = "course", _("拓展课程与社团")
    EXTENDED = "extended", _("延时托管")


class ServiceSlot(models.Model):
    """One part of the service on one weekday, e.g. Monday basic 15:40–16:40, course 16:50–17:50."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("星期"), help_text="1 = Monday … 5 = Friday (7 = Sunday)")
    part = models.CharField(max_length=16, choices=ServicePart.choices)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="service_slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=1, weekday__lte=7), name="service_slot_weekday"
            ),
        ]


class ProviderKind(models.TextChoices):
    CULTURE_CENTRE = "culture_centre", _("文化馆/少年宫")
    SCIENCE_BASE = "science_base", _("科普基地")
    SPORTS = "sports", _("体育俱乐部/场馆")
    NON_SUBJECT_INSTITUTION = "non_subject", _("非学科类培训机构（经审核）")
    VOLUNTEER = "volunteer", _("志愿者/家长志愿者")
    OTHER = "other", _("其他")


class ExternalProvider(models.Model):
    """An organisation outside the school that runs courses (引进校外资源), registered by the district
    (region set) or by a school for itself (school set)."""

    region = models.ForeignKey(
        "schools.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(max_length=24, choices=ProviderKind.choices)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    vetted_at = models.DateTimeField(_("审核通过"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ProviderStaff(models.Model):
    provider = models.ForeignKey(ExternalProvider, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("姓名"), max_length=50)
    qualification = models.CharField(_("资质"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="set when the provider's staff member signs in to take attendance",
    )

    def __str__(self) -> str:
        return self.name


class CourseCategory(models.TextChoices):
    SPORT = "sport", _("体育")
    ART = "art", _("艺术")
    SCIENCE = "science", _("科技")
    READING = "reading", _("阅读")
    LABOUR = "labour", _("劳动实践")
    OTHER = "other", _("其他")


class CourseStatus(models.TextChoices):
    OPEN = "open", _("开设")
    CANCELLED = "cancelled", _("已取消（人数不足）")
    MERGED = "merged", _("已合并")


class Course(models.Model):
    """One of the N courses or clubs. Meets in the programme's course part on `weekdays`."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(_("课程名称"), max_length=100)
    category = models.CharField(max_length=16, choices=CourseCategory.choices)
    description = models.TextField(_("简介"), max_length=1000, blank=True)
    teacher = models.ForeignKey(
        "schools.Teacher", null=True, blank=True, on_delete=models.PROTECT, related_name="afterschool_courses"
    )
    provider = models.ForeignKey(
        ExternalProvider, null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    provider_staff = models.ForeignKey(
        ProviderStaff, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses"
    )
    min_grade = models.PositiveSmallIntegerField(_("最低年级"), default=1)
    max_grade = models.PositiveSmallIntegerField(_("最高年级"), default=9)
    capacity = models.PositiveSmallIntegerField(_("名额"))
    min_size = models.PositiveSmallIntegerField(_("最少开班人数"), default=8)
    room = models.CharField(_("地点"), max_length=50, blank=True)
    weekdays = models.JSONField(_("上课星期"), default=list, help_text="[1, 3] = Monday and Wednesday")
    start = models.TimeField(_("开始"), null=True, blank=True)
    end = models.TimeField(_("结束"), null=True, blank=True)
    fee_per_term = models.DecimalField(_("每学期费用（元）"), max_digits=8, decimal_places=2, default=0)
    teaches_new_lessons = models.BooleanField(
        _("讲授新课内容"), default=False, help_text="after_school_no_new_lessons: declared, and refused"
    )
    status = models.CharField(max_length=16, choices=CourseStatus.choices, default=CourseStatus.OPEN)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "category", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_grade__gte=models.F("min_grade")), name="course_grade_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.fee_per_term == 0


class SubsidyCategory(models.TextChoices):
    HARDSHIP = "hardship", _("家庭经济困难（低保、特困等）")
    DISABILITY = "disability", _("残疾学生")
    OTHER = "other", _("其他（按地方政策）")


class SubsidyRule(models.Model):
    """Share of a course's fee the programme waives for a category of families (after_school_fee_rules:
    provinces set the fee policy; the school enters its own)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="subsidy_rules")
    category = models.CharField(max_length=16, choices=SubsidyCategory.choices)
    percent = models.PositiveSmallIntegerField(_("减免比例（%）"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "category"], name="subsidy_rule_unique"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="subsidy_percent_max"),
        ]


class Application(models.Model):
    """A family's opt-in (voluntary: after_school_voluntary) for one child, with ranked choices.

    One per child and programme; resubmitting replaces the choices (idempotent). Circumstances are
    declared by the family; hardship is sensitive and is confirmed by the school office, never shown
    to teachers or other families.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="afterschool_applications"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    basic_part = models.BooleanField(_("参加基础托管"), default=True)
    both_parents_working = models.BooleanField(_("父母双职工"), default=False)
    hardship_claimed = models.BooleanField(_("申请困难家庭减免"), default=False)
    hardship_category = models.CharField(max_length=16, choices=SubsidyCategory.choices, blank=True)
    hardship_verified = models.BooleanField(_("学校已核实困难情况"), null=True, blank=True)
    # The flags that applied when the allocation ran (incl. lost_out_last_round), kept for audit.
    priority_flags = models.JSONField(default=list, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "student"], name="application_one_per_child"),
        ]


class ApplicationChoice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("志愿顺序"))

    class Meta:
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_unique"),
            models.UniqueConstraint(fields=["application", "course"], name="choice_course_unique"),
        ]


class AllocationRun(models.Model):
    """One run of the fair allocation: the seed and the rules, so anyone can re-run it and get the same."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    seed = models.BigIntegerField()
    priority_rules = models.JSONField(default=dict)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    applicants = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run_at", "-pk"]


class EnrolmentStatus(models.TextChoices):
    PLACED = "placed", _("已录取")
    WAITLISTED = "waitlisted", _("候补")
    WITHDRAWN = "withdrawn", _("已退出")
    CANCELLED = "cancelled", _("课程取消")


class EnrolmentSource(models.TextChoices):
    ALLOCATION = "allocation", _("分配")
    PROMOTION = "promotion", _("候补递补")
    MERGE = "merge", _("课程合并")
    MANUAL = "manual", _("学校调整")


class Enrolment(models.Model):
    """A child's place (or waiting-list position) in one course."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(
        "schools.Student", on_delete=models.CASCADE, related_name="afterschool_enrolments"
    )
    status = models.CharField(max_length=16, choices=EnrolmentStatus.choices)
    rank = models.PositiveSmallIntegerField(_("志愿顺序"), null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(
        max_length=16, choices=EnrolmentSource.choices, default=EnrolmentSource.ALLOCATION
    )
    run = models.ForeignKey(AllocationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "student"], name="enrolment_one_per_course_child"),
        ]
        indexes = [models.Index(fields=["programme", "student", "status"])]


class NoticeKind(models.TextChoices):
    PLACED = "placed", _("录取结果")
    WAITLISTED = "waitlisted", _("候补")
    PROMOTED = "promoted", _("候补递补成功")
    COURSE_CANCELLED = "course_cancelled", _("课程取消")
    COURSE_MERGED = "course_merged", _("课程合并")
    LATE_PICKUP = "late_pickup", _("接孩子迟到提醒")
    OTHER = "other", _("其他")


class FamilyNotice(models.Model):
    """A message to a family about their own child (shown on the parent's pages; SMS as a task)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="afterschool_notices"
    )
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=24, choices=NoticeKind.choices)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
