from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ChallengeMixin(forms.Form):
    """The answer to the human check, asked only once throttling suspects a script (rules.challenge);
    checked by the view against the session's question, never kept (each question is new)."""

    challenge = forms.CharField(required=False, max_length=10)


class LoginForm(ChallengeMixin):
    # Where to go after signing in (checked against this host by the view); kept through a failed try.
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ActivationRequestForm(ChallengeMixin):
    phone = forms.CharField(
        label=_("家长手机号（学校登记的号码）"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice: a typo in a hidden field would otherwise lock the person out."""

    password = forms.CharField(
        label=_("设置密码（至少8位，不能全为数字）"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("再输入一次密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class ActivationForm(NewPasswordForm):
    phone = forms.CharField(
        label=_("手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["phone", "code", "password", "password2"]


class PasswordResetRequestForm(ChallengeMixin):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "username"}),
    )


class PasswordResetForm(ActivationForm):
    """The same fields as activation: the phone, the texted code, the new password twice."""


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码（验证器App中的6位数字，或恢复码）"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordChangeForm(forms.Form):
    old = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new = forms.CharField(
        label=_("新密码（至少8位，不能全为数字，不能与手机号或姓名相近）"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=_("再输入一次新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", _("两次输入的新密码不一致"))
        return data


class TwoStepActionForm(forms.Form):
    """Which step of the account security page was asked for; the code, where one is needed, is
    CodeForm's."""

    action = forms.ChoiceField(choices=[("start", "start"), ("confirm", "confirm"), ("disable", "disable")])


class LanguageForm(forms.Form):
    """The header's language switch. An unknown language is a field error; the view then falls back
    to Chinese rather than refusing (a switch should never leave someone on an error page)."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)
