from __future__ import annotations

from django import forms

from jianfu.core.errors import DomainError, ErrorDetail
from jianfu.core.forms import add_domain_error


class _Form(forms.Form):
    minutes = forms.IntegerField()
    note = forms.CharField(required=False)


def test_a_domain_error_lands_on_its_field_and_the_typed_values_stay() -> None:
    form = _Form(data={"minutes": "95", "note": "周三"})
    assert form.is_valid()
    add_domain_error(form, DomainError("over_cap", "超过上限", "Over the cap", field="minutes"))
    assert form.errors["minutes"] == ["超过上限"]
    assert form["note"].value() == "周三"  # what was typed is shown again


def test_an_error_naming_no_field_of_the_form_is_form_wide_with_its_details() -> None:
    form = _Form(data={"minutes": "1"})
    assert form.is_valid()
    details = [ErrorDetail("第3行：缺少姓名", "Row 3: name missing", row=3, field="name")]
    add_domain_error(form, DomainError("bad", "导入失败", "Import failed", field="file", details=details))
    assert form.non_field_errors() == ["导入失败", "第3行：缺少姓名"]
