"""Forms helpers shared by the apps' page forms (issue 14: one way to show a domain error)."""

from __future__ import annotations

from django import forms

from jianfu.core.errors import DomainError


def add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: on its field when the error names one the form has,
    else as a form-wide error; row-level details are listed too. The form stays bound, so what the
    person typed is shown again."""
    target = exc.field if exc.field in form.fields else None
    form.add_error(target, exc.message)
    for detail in exc.details:
        field = detail.field if detail.field in form.fields else None
        form.add_error(field, detail.message)
