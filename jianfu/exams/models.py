"""Exam plans filed per grade and term (备案), and results as levels — never ranks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamKind(models.TextChoices):
    FINAL = "final", _("期末考试")
    MIDTERM = "midterm", _("期中考试")
    MOCK = "mock", _("模拟考试（毕业年级）")
    UNIT = "unit", _("单元考试")
    MONTHLY = "monthly", _("月考")
    WEEKLY = "weekly", _("周考")
    QUIZ = "quiz", _("测验")


class Organiser(models.TextChoices):
    SCHOOL = "school", _("本校")
    REGIONAL = "regional", _("区域统考")
    INTERSCHOOL = "interschool", _("校际联考")


class ExamPlan(models.Model):
    """One planned exam for a grade in a term, held on one day or over a few consecutive days (a final
    with several sittings is still one exam). A plan that breaks a hard rule is refused at filing; it
    is stored only when the district records an exception (docs/decisions/0027-exam-rules-kept.md).
    Findings are the ones this plan itself caused, so the school and the district see the same verdict
    the filing got."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="exam_plans")
    grade = models.ForeignKey("schools.Grade", on_delete=models.CASCADE, related_name="exam_plans")
    term = models.ForeignKey("schools.Term", on_delete=models.CASCADE, related_name="exam_plans")
    kind = models.CharField(_("类型"), max_length=16, choices=ExamKind.choices)
    subjects = models.JSONField(_("科目"), default=list)
    date = models.DateField(_("日期"), help_text="first day")
    end_date = models.DateField(_("结束日期"), help_text="last day; the same as date for a one-day exam")
    paper_based = models.BooleanField(_("纸笔考试"), default=True)
    whole_grade = models.BooleanField(_("全年级统一"), default=True)
    organiser = models.CharField(
        _("组织方"), max_length=16, choices=Organiser.choices, default=Organiser.SCHOOL
    )
    findings = models.JSONField(default=list, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    exception_reason = models.CharField(_("例外理由（区县教育局）"), max_length=300, blank=True)
    exception_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    released_at = models.DateTimeField(_("等级发布时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["grade", "term"])]

    @property
    def has_violation(self) -> bool:
        return any(f.get("severity") == "violation" for f in self.findings)

    @property
    def enterable(self) -> bool:
        """Levels may be kept for it: live, and either within the rules or excepted by the district.
        Plans filed before violations were refused keep their findings but open no level entry."""
        return self.withdrawn_at is None and (not self.has_violation or bool(self.exception_reason))


class ExamResult(models.Model):
    """A student's result in one subject of an exam, as a level. A raw score, if a teacher keeps one,
    is private to the class's teachers and never leaves the results-entry page."""

    exam = models.ForeignKey(ExamPlan, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey("schools.Student", on_delete=models.CASCADE, related_name="exam_results")
    school_class = models.ForeignKey("schools.SchoolClass", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=16)
    level = models.CharField(_("等级"), max_length=16)
    comment = models.CharField(_("评语"), max_length=200, blank=True)
    raw_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "student", "subject"], name="exam_result_unique"),
        ]
