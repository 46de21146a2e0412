from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from jianfu.schools.models import Subject

register = template.Library()
_SUBJECTS = dict(Subject.choices)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """{{ form_data|get_item:"field" }} for dicts and QueryDicts."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def subject_label(code: str) -> str:
    label = _SUBJECTS.get(code)
    return gettext(label) if label else code


@register.filter
def hours(minutes: float | None) -> str:
    """570 → "9.5" (one decimal; sleep is judged against 10 / 9 h, so rounding to whole hours would hide it)."""
    if minutes is None:
        return "—"
    return f"{minutes / 60:.1f}"
