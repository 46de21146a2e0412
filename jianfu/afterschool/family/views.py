"""The families' pages (phone-first, WeChat's browser): each child's programmes, choices and
results, and the form to opt in and rank courses. A parent only ever reaches their own children."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianfu.afterschool.family import services as choosing
from jianfu.afterschool.family.forms import ChooseForm, FamilyWithdrawForm
from jianfu.afterschool.family.selectors import child_programme, courses_for_child, family_cards
from jianfu.afterschool.forms import not_found
from jianfu.afterschool.models import SubsidyCategory
from jianfu.afterschool.selectors import child_get_for_parent, programmes_for_child
from jianfu.afterschool.waitlist import services as waitlist
from jianfu.core.errors import DomainError, NotFound
from jianfu.core.forms import add_domain_error

RANK_LABELS = [
    gettext_lazy("第一志愿"),
    gettext_lazy("第二志愿"),
    gettext_lazy("第三志愿"),
    gettext_lazy("第四志愿"),
    gettext_lazy("第五志愿"),
    gettext_lazy("第六志愿"),
    gettext_lazy("第七志愿"),
    gettext_lazy("第八志愿"),
    gettext_lazy("第九志愿"),
    gettext_lazy("第十志愿"),
]


def family_page(request: HttpRequest) -> HttpResponse:
    cards = family_cards(request.user)
    if not cards:
        return not_found(request)
    if request.method == "POST":
        form = FamilyWithdrawForm(request.POST)
        if not form.is_valid():
            return not_found(request)  # not typed: the ids the page wrote
        programme_id, student_id = form.cleaned_data["programme"], form.cleaned_data["student"]
        try:
            if form.leaves_course_only():
                left = waitlist.course_withdraw(
                    actor=request.user, programme_id=programme_id, student_id=student_id
                )
                messages.success(
                    request,
                    _("已退出“%(course)s”，仍可参加基础托管。") % {"course": left.name}
                    if left
                    else _("已退出候补。"),
                )
            else:
                choosing.application_withdraw(
                    actor=request.user, programme_id=programme_id, student_id=student_id
                )
                messages.success(request, _("已登记不参加课后服务。如需参加，可在选课时间内重新报名。"))
        except DomainError as exc:
            if exc.status == 404:
                return not_found(request)
            messages.error(request, exc.message)
        return redirect("afterschool:family")
    return render(request, "afterschool/family_results.html", {"cards": cards})


def choose_page(request: HttpRequest, programme_id: int, student_id: int) -> HttpResponse:
    try:
        student = child_get_for_parent(request.user, student_id)
    except NotFound:
        return not_found(request)
    p = programmes_for_child(student).filter(pk=programme_id).select_related("school").first()
    if p is None:
        return not_found(request)
    courses = courses_for_child(p, student)
    form = ChooseForm(
        request.POST if request.method == "POST" else None,
        course_ids=[row["course"].pk for row in courses],
        max_choices=p.max_choices,
    )
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                choosing.application_submit(
                    actor=request.user,
                    programme_id=p.pk,
                    student_id=student.pk,
                    course_ids=form.course_ids(),
                    basic_part=form.cleaned_data["basic_part"],
                    both_parents_working=form.cleaned_data["both_parents_working"],
                    hardship_claimed=form.cleaned_data["hardship_claimed"],
                    hardship_category=form.cleaned_data["hardship_category"],
                )
            except DomainError as exc:
                if exc.status == 404:
                    return not_found(request)
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已提交%(name)s的报名。截止前可以随时修改，以最后一次提交为准。")
                    % {"name": student.name},
                )
                return redirect("afterschool:family")
    state = child_programme(request.user, p, student)
    app = state["application"]
    chosen = [c.pk for c in state["choices"]]
    if form.is_bound:
        # As posted, so the family sees what they picked (a value that is no course shows as blank).
        chosen = [form.cleaned_data.get(f"rank_{n}") or 0 for n in range(1, p.max_choices + 1)]
    ranks = [
        (n, RANK_LABELS[n - 1], chosen[n - 1] if n <= len(chosen) else 0, form[f"rank_{n}"].errors)
        for n in range(1, p.max_choices + 1)
    ]
    return render(
        request,
        "afterschool/choose_form.html",
        {
            **state,
            "courses": courses,
            "ranks": ranks,
            "form": form,
            "data": request.POST if request.method == "POST" else None,
            "app": app,
            "categories": SubsidyCategory.choices,
            "subsidies": list(p.subsidy_rules.all()),
        },
        status=status,
    )
