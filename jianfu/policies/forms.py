from django import forms


class OverrideForm(forms.Form):
    key = forms.ChoiceField(label="配置项")
    value = forms.CharField(
        label="新的取值",
        max_length=500,
        help_text='数字、时刻（如 17:30）、是/否；年级段填 JSON，如 [{"grades":[3,4],"max_minutes":40}]',
    )
    effective_from = forms.DateField(
        label="生效日期", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label="依据（文件文号或原因）", max_length=200)

    def __init__(self, *args, keys: list[tuple[str, str]], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        key_field = self.fields["key"]
        assert isinstance(key_field, forms.ChoiceField)
        key_field.choices = keys
