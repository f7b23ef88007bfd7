"""What a reporter types, one question per page. Nothing here asks about immigration status."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safereport.cases.models import CRIME_TYPE_CHOICES, ReporterWants

TEXT = 500
LONG_TEXT = 20_000


def _text(label: str, *, required: bool = False, help_text: str = "", max_length: int = TEXT):  # type: ignore[no-untyped-def]
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _area(label: str, *, required: bool = False, help_text: str = ""):  # type: ignore[no-untyped-def]
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
    )


class DescribedFieldsForm(forms.Form):
    """Links each field to its hint and error message (aria-describedby).

    A screen reader then reads the error with the field, not only in the
    summary. Radio groups get the same link on their fieldset in the template.
    """

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                continue
            auto_id = self[name].auto_id
            ids = []
            if field.help_text:
                ids.append(f"{auto_id}-hint")
            if name in self.errors:
                ids.append(f"{auto_id}-error")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


class StepForm(DescribedFieldsForm):
    """A journey step. ``free_text`` names the fields the identifier scanner reads."""

    free_text: tuple[str, ...] = ()

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, each linked to its field."""
        links = []
        for name, errors in self.errors.items():
            field = self[name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect):
                anchor = f"{anchor}_0"
            for message in errors:
                links.append((anchor, f"{field.label}: {message}"))
        return links


class CrimeTypeForm(StepForm):
    crime_type = forms.ChoiceField(
        label=_("What kind of harm is this about?"),
        choices=CRIME_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of harm, or 'Something else'.")},
    )
    danger_now = forms.BooleanField(
        label=_("I am in danger now, or may be very soon"),
        help_text=_(
            "The organisation is told to read your report first. If you are in danger now, "
            "also call 999."
        ),
        required=False,
    )


class WhatHappenedForm(StepForm):
    free_text = ("when", "where", "what")
    what = _area(
        _("What happened?"),
        required=True,
        help_text=_("Write in any language, as much or as little as you want."),
    )
    when = _text(_("When did it happen? (optional)"), help_text=_("A date, or roughly."))
    where = _text(_("Where did it happen? (optional)"), help_text=_("A town, or a kind of place."))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["what"].error_messages["required"] = _("Tell us what happened.")


class PersonForm(StepForm):
    free_text = ("who", "relationship", "more")
    who = _text(
        _("Who did it? (optional)"),
        help_text=_("A name or a description. You can leave this empty."),
    )
    relationship = _text(
        _("How do you know them? (optional)"),
        help_text=_("For example: partner, employer, family member, stranger."),
    )
    more = _area(_("Anything else about them? (optional)"))


class WantsForm(StepForm):
    free_text = ("needs",)
    wants = forms.ChoiceField(
        label=_("What would you like to happen?"),
        choices=[
            (ReporterWants.SUPPORT_ONLY.value, _("Support for me, and nothing else")),
            (
                ReporterWants.POLICE_THROUGH_ORGANISATION.value,
                _("Support, and help to report to the police through the organisation"),
            ),
            (
                ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE.value,
                _("Pass information to the police without my name"),
            ),
            (ReporterWants.LEGAL_ADVICE.value, _("Free, independent legal advice")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you would like to happen.")},
    )
    needs = _area(
        _("Anything you need now? (optional)"),
        help_text=_("For example: a safe place to stay, someone to talk to, help with work."),
    )


CHANNEL_CHOICES = [
    ("", _("Only through this website (you come back with your secret phrase)")),
    ("phone_call", _("A phone call")),
    ("text_message", _("A text message")),
    ("email", _("An email")),
]


DETAIL_NEEDED = {
    "phone_call": _("You chose a phone call: type the number to call, or choose another way."),
    "text_message": _(
        "You chose a text message: type the number to send it to, or choose another way."
    ),
    "email": _("You chose an email: type the email address, or choose another way."),
}
# Fewer digits than any phone number has (digits in any script count).
PHONE_DIGITS_AT_LEAST = 6
NOT_A_PHONE_NUMBER = _(
    "That does not look like a phone number: type it with all its digits, for example 07700 900123."
)
NOT_AN_EMAIL_ADDRESS = _(
    "That does not look like an email address: it needs an @, for example name@example.com."
)


class LanguageSelect(forms.Select):
    """Each language's own name is marked with its language (and direction),
    so a screen reader says "Español" in Spanish and "العربية" in Arabic."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in dict(settings.LANGUAGES):
            option["attrs"]["lang"] = value
            option["attrs"]["dir"] = "rtl" if value in settings.LANGUAGES_BIDI else "ltr"
        return option


class ContactForm(StepForm):
    free_text = ("detail", "safe_times", "code_word")
    channel = forms.ChoiceField(
        label=_("How can the organisation contact you safely?"),
        choices=CHANNEL_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    detail = _text(
        _("Phone number or email address (optional)"),
        help_text=_("Only if it is safe. Nobody else will see it."),
    )
    safe_times = _text(
        _("When is it safe to contact you? (optional)"),
        help_text=_("For example: weekdays 10am to 2pm."),
    )
    code_word = _text(
        _("A code word (optional)"),
        help_text=_("The caseworker says it first, so you know it is them."),
    )
    language = forms.ChoiceField(
        label=_("Which language would you like to use? (optional)"),
        choices=[("", _("No preference")), *settings.LANGUAGES, ("other", _("Another language"))],
        required=False,
        widget=LanguageSelect,
    )
    interpreter = forms.BooleanField(label=_("I would like an interpreter"), required=False)

    def clean(self) -> dict[str, object]:
        """A phone call or a text message needs a phone number, an email an
        address: without one, the organisation could only use the website."""
        data: dict[str, object] = super().clean() or {}
        channel = str(data.get("channel") or "")
        detail = str(data.get("detail") or "").strip()
        if channel not in DETAIL_NEEDED or "detail" in self.errors:
            return data
        if not detail:
            self.add_error("detail", DETAIL_NEEDED[channel])
        elif channel == "email":
            if "@" not in detail:
                self.add_error("detail", NOT_AN_EMAIL_ADDRESS)
        elif sum(c.isdigit() for c in detail) < PHONE_DIGITS_AT_LEAST:
            self.add_error("detail", NOT_A_PHONE_NUMBER)
        return data


class IdentityForm(StepForm):
    free_text = ("name", "other")
    name = _text(
        _("Your name (optional)"),
        help_text=_("You do not have to give your name. You can report without it."),
    )
    other = _area(_("Anything else about you that you want the organisation to know (optional)"))


class AttachmentForm(StepForm):
    file = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_(
            "Photos (JPEG or PNG), screenshots or plain text. We remove hidden details "
            "such as the place a photo was taken."
        ),
    )


class AreaForm(StepForm):
    area = forms.ChoiceField(
        label=_("Where do you live or spend most time? (optional)"),
        required=False,
        help_text=_("This helps us suggest an organisation near you."),
    )

    def __init__(self, *args, areas: list[str], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("I would rather not say"))] + [(a, a) for a in areas]


ORGANISATION_UNAVAILABLE = _(
    "That organisation cannot take new reports at the moment. Your answers are kept: "
    "please choose one of the organisations below."
)


class OrganisationForm(StepForm):
    organisation = forms.ChoiceField(
        label=_("Which organisation should read your report?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an organisation."),
            "invalid_choice": ORGANISATION_UNAVAILABLE,
        },
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = choices


class MessageForm(DescribedFieldsForm):
    body = forms.CharField(
        label=_("Your message"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        error_messages={"required": _("Write a message before sending it.")},
    )


class AddInformationForm(DescribedFieldsForm):
    text = forms.CharField(
        label=_("What would you like to add?"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
    )
    file = forms.FileField(label=_("Attach a file (optional)"), required=False)


class PassphraseForm(DescribedFieldsForm):
    passphrase = forms.CharField(
        label=_("Your secret phrase"),
        max_length=300,
        help_text=_("The words or the number you were given when you sent your report."),
        widget=forms.TextInput(
            attrs={
                "dir": "auto",
                "autocomplete": "off",
                "autocapitalize": "none",
                "autocorrect": "off",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Type your secret phrase.")},
    )
