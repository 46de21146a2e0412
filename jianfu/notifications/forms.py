from __future__ import annotations

from typing import Any

from django import forms

from jianfu.notifications import rules
from jianfu.notifications.models import Channel

LABELS = dict(Channel.choices)


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class ChoicesForm(forms.Form):
    """One checkbox per kind and channel shown; a kind's inbox box is fixed on unless it is opt-in."""

    def __init__(
        self,
        *args: Any,
        kinds: list[rules.Kind],
        channels: list[str],
        current: dict[str, set[str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.channels = channels
        for kind in kinds:
            for channel in channels:
                fixed = channel == rules.INBOX and not kind.opt_in
                self.fields[field_name(kind.key, channel)] = forms.BooleanField(
                    required=False,
                    initial=fixed or channel in current.get(kind.key, set()),
                    disabled=fixed,
                    label=str(kind.label),
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "cells": [(LABELS[c], self[field_name(kind.key, c)]) for c in self.channels],
            }
            for kind in self.kinds
        ]

    def choices(self) -> dict[str, set[str]]:
        return {
            kind.key: {c for c in self.channels if self.cleaned_data.get(field_name(kind.key, c))}
            for kind in self.kinds
        }
