"""The profile page's form: one local value for one parameter, from a date, with its basis."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jianfu.policies.rules.wording import parse_bands


class OverrideForm(forms.Form):
    key = forms.ChoiceField(label=_("配置项"))
    value = forms.CharField(
        label=_("新的取值"),
        max_length=500,
        help_text=_("数字、时刻（如 17:30）、是/否；年级段上限写成“3-4年级 40分钟；5-6年级 50分钟”"),
    )
    effective_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("依据（文件文号或原因）"), max_length=200)

    def __init__(self, *args: Any, keys: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key_field = self.fields["key"]
        assert isinstance(key_field, forms.ChoiceField)
        key_field.choices = keys

    def clean_value(self) -> Any:
        """Grade bands in words ("3-4年级 40分钟") or, as before, JSON; lists as JSON; everything else
        as typed (the service types it)."""
        raw = str(self.cleaned_data["value"]).strip()
        if self.data.get("key") == "settings.homework_bands":
            bands = parse_bands(raw)
            if bands is not None:
                return bands
        if raw[:1] in ("[", "{"):
            try:
                return json.loads(raw)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(_("JSON 格式错误"), code="json") from exc
        return raw
