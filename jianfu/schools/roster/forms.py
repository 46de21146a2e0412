from __future__ import annotations

from typing import Any

from django import forms

from jianfu.schools.models import School


class RosterUploadForm(forms.Form):
    """Which school (among those the person may import for) and the file."""

    school = forms.TypedChoiceField(coerce=int)
    file = forms.FileField(allow_empty_file=True)  # an empty file gets the service's own message
    create_classes = forms.BooleanField(required=False)

    def __init__(self, *args: Any, schools: list[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schools = {s.pk: s for s in schools}
        self.fields["school"].choices = [(s.pk, s.name) for s in schools]  # type: ignore[attr-defined]

    def chosen_school(self) -> School:
        return self.schools[self.cleaned_data["school"]]
