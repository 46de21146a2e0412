"""Number formats of the after-school figures pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.9972 → "99.7%"; nothing to divide → "—"."""
    if value is None:
        return "—"
    return f"{100 * value:.1f}%"


@register.filter
def money(value: Decimal | float | int | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"
