from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safereport.core.retention import MAX_MONTHS, MIN_MONTHS


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class PasswordChangeForm(forms.Form):
    """A staff member's own password. Passwords are never shown again on an error."""

    current = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your current password.")},
    )
    new = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words are easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type a new password.")},
    )
    again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the new password again.")},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", _("The two new passwords are not the same."))
        return data


class RetentionForm(forms.Form):
    """How long the organisation keeps closed cases (core.retention's bounds)."""

    months = forms.IntegerField(
        label=_("Keep closed cases for (months)"),
        min_value=MIN_MONTHS,
        max_value=MAX_MONTHS,
        help_text=_(
            "Between 12 and 120 months. Six years (72 months) is a common period for case "
            "records. Cases under a legal hold are kept until the hold is released."
        ),
        error_messages={
            "required": _("Type a number of months."),
            "invalid": _("Type a whole number of months."),
            "min_value": _("Keep closed cases for at least 12 months."),
            "max_value": _("Keep closed cases for at most 120 months."),
        },
    )
