"""What caseworkers, services and admins type for referrals, validated."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safereport.accounts.models import Organisation
from safereport.core.referrals import KIND_LABELS, ROUTE_GUIDANCE, LegalRoute, ReferralKind
from safereport.core.referrals.lifecycle import REASON_MAX_LENGTH
from safereport.core.vocabulary import Section
from safereport.disclosures.forms import (
    SPOKEN_CONSENT_HELP,
    organisation_radios,
    radios,
    section_boxes,
    text_box,
)
from safereport.referrals.actions import LANGUAGE_CODE, NOTE_MAX_LENGTH
from safereport.referrals.selectors import (
    directory,
    directory_areas,
    directory_languages,
    kinds_for,
)

KIND_CHOICES = [(k.value, _(KIND_LABELS[k])) for k in ReferralKind]


def _split(text: str, *, commas: bool = True) -> list[str]:
    pattern = r"[\n,]" if commas else r"\n"
    return [part.strip() for part in re.split(pattern, text) if part.strip()]


class DirectorySearchForm(forms.Form):
    """The caseworker's search (a GET form)."""

    q = forms.CharField(label=_("Words to look for"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of service"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *KIND_CHOICES]
        self.fields["language"].choices = [("", _("Any language")), *directory_languages()]
        self.fields["area"].choices = [("", _("Any area")), *((a, a) for a in directory_areas())]


# The public site's languages other than English (descriptions in them are optional).
TRANSLATED_LANGUAGES = [
    (code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
]


class DirectoryEntryForm(forms.Form):
    """An organisation admin's own entry in the directory."""

    description = text_box(
        _("What your organisation does"), 1000, _("Describe what your organisation does."), rows=4
    )
    referral_kinds = forms.MultipleChoiceField(
        label=_("Referrals you take"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Your organisation cannot take that kind.")},
    )
    languages = forms.CharField(
        label=_("Languages"),
        help_text=_("Language codes separated by commas, for example: en, es, pl"),
        max_length=300,
        required=False,
    )
    areas = text_box(_("Areas you work in"), 1000, help_text=_("One per line."))
    specialisms = text_box(
        _("Specialisms and communities"),
        1000,
        help_text=_("One per line, for example: Latin American women; by and for."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail for new referrals"),
        help_text=_("Notifications say only that something is waiting; they never carry details."),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address, for example team@example.org.")},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The description in each other language of the public site, so a
        # reporter choosing an organisation reads it in their language.
        for code, name in TRANSLATED_LANGUAGES:
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("What your organisation does, in %(language)s (optional)")
                % {"language": name},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"}),
            )
        kinds = kinds_for(organisation.org_kind)
        self.fields["referral_kinds"].choices = [(k.value, _(KIND_LABELS[k])) for k in kinds]
        if not kinds:
            del self.fields["referral_kinds"]

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, object]:
        return {
            "description": organisation.description,
            "referral_kinds": list(organisation.referral_kinds or []),
            "languages": ", ".join(organisation.languages),
            "areas": "\n".join(organisation.areas),
            "specialisms": "\n".join(organisation.specialisms),
            "contact_email": organisation.contact_email,
            **{
                f"description_{code}": (organisation.description_translations or {}).get(code, "")
                for code, _name in TRANSLATED_LANGUAGES
            },
        }

    def description_fields(self) -> list[forms.BoundField]:
        return [self[f"description_{code}"] for code, _name in TRANSLATED_LANGUAGES]

    def description_translations(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"description_{code}"].strip()
            for code, _name in TRANSLATED_LANGUAGES
            if self.cleaned_data.get(f"description_{code}", "").strip()
        }

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in _split(self.cleaned_data["languages"])]
        bad = [code for code in codes if not LANGUAGE_CODE.match(code)]
        if bad:
            raise forms.ValidationError(
                _("These are not language codes: %(codes)s. Use codes such as en, es, pl.")
                % {"codes": ", ".join(bad)}
            )
        return codes

    def clean_areas(self) -> list[str]:
        return _split(self.cleaned_data["areas"], commas=False)

    def clean_specialisms(self) -> list[str]:
        return _split(self.cleaned_data["specialisms"], commas=False)


class KindForm(forms.Form):
    """Step one of a referral: which kind of service (a GET form)."""

    kind = forms.ChoiceField(
        label=_("Kind of service"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of service."),
            "invalid_choice": _("Choose one of the kinds of service listed."),
        },
    )


EXISTING = "existing"
SPOKEN = "spoken"


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class SendReferralForm(forms.Form):
    """Step two: the service, the sections and the consent."""

    kind = forms.ChoiceField(choices=KIND_CHOICES, widget=forms.HiddenInput)
    service = organisation_radios(
        directory(),
        _("Service"),
        _("Choose the service to refer to."),
        _("Choose one of the services listed."),
        field=ServiceChoiceField,
    )
    sections = section_boxes(
        Section, _("What to share with the service"), _("Choose at least one section to share.")
    )
    consent = radios(
        [
            (EXISTING, _("The reporter has already agreed to exactly this (consent on record)")),
            (SPOKEN, _("The reporter agreed now, in these words (record it below)")),
        ],
        _("The reporter's consent"),
        _("Say how the reporter agreed."),
    )
    consent_note = text_box(
        _("How and when the reporter agreed"), 500, help_text=SPOKEN_CONSENT_HELP
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent") == SPOKEN and not (data.get("consent_note") or "").strip():
            self.add_error(
                "consent_note", _("Write down how and when the reporter agreed to this referral.")
            )
        if data.get("consent") == EXISTING:
            data["consent_note"] = ""
        return data


class ActionForm(forms.Form):
    reason = text_box(_("Reason"), REASON_MAX_LENGTH)


class LegalTaskForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Route"),
        choices=[(r.value, _(ROUTE_GUIDANCE[r].title)) for r in LegalRoute],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the route.")},
    )
    anchor_on = forms.DateField(
        label=_("Date the deadline counts from"),
        help_text=_(
            "The date named for the route above (for example the day you accepted, or the "
            "day permission ends), as year-month-day: 2026-03-27"
        ),
        error_messages={
            "required": _("Enter the date the deadline counts from."),
            "invalid": _("Enter the date as year-month-day, for example 2026-03-27."),
        },
    )
    note = forms.CharField(
        label=_("Note for the caseworker and your colleagues (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
