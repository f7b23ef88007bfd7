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


def password_field(
    label: object, required: object, *, new: bool, hint: object = None
) -> forms.CharField:
    """A password box: never stripped, never shown back, the browser told what it holds."""
    return forms.CharField(
        label=label,
        strip=False,
        help_text=hint or "",
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password" if new else "current-password"}
        ),
        error_messages={"required": required},
    )


NEW_PASSWORD_HINT = _("At least 12 characters. A few unrelated words are easy to remember.")


class PasswordChangeForm(forms.Form):
    """A staff member's own password. Passwords are never shown again on an error."""

    current = password_field(
        _("Your current password"), _("Type your current password."), new=False
    )
    new = password_field(
        _("New password"), _("Type a new password."), new=True, hint=NEW_PASSWORD_HINT
    )
    again = password_field(_("New password again"), _("Type the new password again."), new=True)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new") and data.get("again") and data["new"] != data["again"]:
            self.add_error("again", _("The two new passwords are not the same."))
        return data


class AlertPreferenceForm(forms.Form):
    alerts_by = forms.ChoiceField(
        label="How do you want alerts?",
        choices=[
            ("email", "By e-mail, to my own address"),
            ("none", "No alerts: I will look at my staff home"),
        ],
        widget=forms.RadioSelect,
    )


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


class InviteForm(forms.Form):
    """An admin invites a colleague: the name they will go by and their role."""

    display_name = forms.CharField(
        label=_("Their name, as colleagues will see it"),
        max_length=200,
        error_messages={"required": _("Type the name of the person you invite.")},
    )
    role = forms.ChoiceField(
        label=_("Role"), error_messages={"required": _("Choose a role.")}, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label=_("Work e-mail (optional, for alerts)"),
        required=False,
        error_messages={"invalid": _("Type an e-mail address like name@example.org.")},
    )

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class JoinForm(forms.Form):
    """The invitee's password and the code from the authenticator they just set up."""

    username = forms.CharField(
        label=_("Choose a username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Choose a username.")},
    )
    password = password_field(
        _("Choose a password"), _("Choose a password."), new=True, hint=NEW_PASSWORD_HINT
    )
    again = password_field(_("The password again"), _("Type the password again."), new=True)
    code = forms.CharField(
        label=_("The 6-digit code your authenticator app shows now"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the code from your authenticator app.")},
    )

    def __init__(self, *args: object, needs_username: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not needs_username:
            del self.fields["username"]

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("again") and data["password"] != data["again"]:
            self.add_error("again", _("The two passwords are not the same."))
        return data


class ResetRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What was lost"),
        choices=[("password", _("Their password")), ("authenticator", _("Their authenticator"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was lost.")},
    )


class OrganisationForm(forms.Form):
    """The operator's page: a new organisation and the name of its first admin."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), widget=forms.RadioSelect)
    areas = forms.CharField(label=_("Areas (comma-separated)"), required=False)
    languages = forms.CharField(
        label=_("Languages (codes, comma-separated, e.g. en,pl)"), required=False
    )
    admin_name = forms.CharField(label=_("First admin's name"), max_length=200)

    def __init__(self, *args: object, kinds: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
