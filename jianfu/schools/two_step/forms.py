from __future__ import annotations

from django import forms


class SchoolFilterForm(forms.Form):
    """The reset page's school filter (GET); an unknown value shows every school."""

    school = forms.IntegerField(required=False)


class TwoStepResetForm(forms.Form):
    user_id = forms.IntegerField(min_value=1)
    # Length and presence are the service's rules (its refusal names the field): not repeated here.
    reason = forms.CharField(required=False, strip=False)
    code = forms.CharField(required=False)
