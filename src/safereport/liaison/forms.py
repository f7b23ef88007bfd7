"""What caseworkers and police liaison officers type, validated.

The police form offers only what the firewall could allow: police forces,
never the immigration section, and for anonymous information only what
happened and who did it. The action checks the same again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safereport.core.vocabulary import Section
from safereport.disclosures.forms import organisation_radios, radios, section_boxes, text_box
from safereport.liaison.actions import (
    ANONYMOUS_SECTIONS,
    CRIME_REFERENCE_MAX,
    CRIME_REFERENCE_PATTERN,
    TEXT_MAX,
)
from safereport.liaison.models import Way
from safereport.liaison.selectors import police_forces

# Never the immigration section: the police never receive it.
POLICE_SECTIONS = [s for s in Section if s is not Section.IMMIGRATION]


class ConsentSource:
    EXISTING = "existing"
    SPOKEN = "spoken"


class SendToPoliceForm(forms.Form):
    way = radios(
        Way.choices,
        _("How the reporter wants to involve the police"),
        _("Choose the way the reporter chose."),
    )
    force = organisation_radios(
        police_forces(),
        _("Police force"),
        _("Choose the police force."),
        _("Choose one of the police forces listed."),
    )
    sections = section_boxes(
        POLICE_SECTIONS,
        _("What to send"),
        _("Choose at least one section."),
        _("The police never receive that section."),
        help_text=_(
            "Only what the reporter agreed to. Anonymous information carries only what "
            "happened and the person who did it."
        ),
    )
    consent = radios(
        [
            (
                ConsentSource.EXISTING,
                _("Use the consent the reporter already gave for this force (listed above)"),
            ),
            (ConsentSource.SPOKEN, _("The reporter agreed, in these words:")),
        ],
        _("The reporter's consent"),
        _("Say how the reporter consented."),
    )
    consent_words = text_box(
        _("The reporter's words, and how and when they said them"),
        500,
        help_text=_(
            "For example: 'By phone on 3 March with a Spanish interpreter: yes, send what "
            "happened and who did it to the police.' No names, no immigration status."
        ),
    )
    protocol_limits_told = forms.BooleanField(
        label=_("I have told the person this"),
        help_text=_(
            "Required. Recorded with their consent: what the police may still do with "
            "immigration information, and what the Home Office protocol does and does not promise."
        ),
        error_messages={
            "required": _(
                "Tell the person what the police may still do with immigration information and "
                "what the protocol does not promise, then tick this box."
            )
        },
    )
    appointment_at = forms.DateTimeField(
        label=_("Appointment date and time (accompanied appointment only)"),
        help_text=_("For example: 2026-12-01 10:30"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter the date and time as 2026-12-01 10:30.")},
    )
    appointment_place = forms.CharField(
        label=_("Appointment place (accompanied appointment only)"),
        help_text=_("Sealed: only your organisation, the reporter and this force can read it."),
        required=False,
        max_length=500,
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        way = data.get("way")
        chosen = {Section(s) for s in data.get("sections") or []}
        if way == Way.ANONYMOUS and not chosen <= ANONYMOUS_SECTIONS:
            self.add_error(
                "sections",
                _(
                    "Anonymous information carries only what happened and the person who did "
                    "it: untick the other sections."
                ),
            )
        if (
            data.get("consent") == ConsentSource.SPOKEN
            and not (data.get("consent_words") or "").strip()
        ):
            self.add_error(
                "consent_words", _("Write down what the reporter said, and how and when.")
            )
        if way == Way.ACCOMPANIED:
            if not data.get("appointment_at") and "appointment_at" not in self.errors:
                self.add_error("appointment_at", _("Enter the appointment's date and time."))
            if not (data.get("appointment_place") or "").strip():
                self.add_error("appointment_place", _("Enter the appointment's place."))
        return data


class CrimeReferenceField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_length=CRIME_REFERENCE_MAX,
            label=_("Crime reference number"),
            help_text=_("For example: 01/123456/26"),
            **kwargs,
        )

    def clean(self, value: Any) -> str:
        cleaned: str = " ".join(str(super().clean(value) or "").split())
        if cleaned and not CRIME_REFERENCE_PATTERN.match(cleaned):
            raise forms.ValidationError(
                _(
                    "Use only letters, digits, spaces and the signs / - . "
                    "(for example 01/123456/26)."
                )
            )
        return cleaned


class AcknowledgeForm(forms.Form):
    crime_reference = CrimeReferenceField(required=False)


class CrimeReferenceForm(forms.Form):
    crime_reference = CrimeReferenceField(
        error_messages={"required": _("Type the crime reference number.")}
    )


class LiaisonTextForm(forms.Form):
    text = text_box(_("Text"), TEXT_MAX, _("Write something first."), rows=4)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["text"].label = label
