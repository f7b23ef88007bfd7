"""The reporter's opt-in at the review step: one identifier of who is responsible.

Empty is the default and means nothing is added. A detail is used only when
she ticks the box under the plain sentences of what happens on a match and
what never does (templates/matching/_name_them.html).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safereport.core.matching import (
    MAX_INPUT_CHARS,
    Identifier,
    IdentifierKind,
    InvalidIdentifier,
    normalise,
)

KIND_CHOICES = [
    ("", _("Choose one")),
    (IdentifierKind.BUSINESS.value, _("An employer or agency")),
    (IdentifierKind.PHONE.value, _("A phone number")),
    (IdentifierKind.EMAIL.value, _("An email address")),
    (IdentifierKind.SOCIAL.value, _("A social media account")),
    (IdentifierKind.VEHICLE.value, _("A vehicle registration")),
    (IdentifierKind.COMPANY_NUMBER.value, _("A Companies House number")),
    (IdentifierKind.ADDRESS.value, _("An address")),
]


class NameThemForm(forms.Form):
    prefix = "who"

    kind = forms.ChoiceField(label=_("What kind of detail"), choices=KIND_CHOICES, required=False)
    value = forms.CharField(
        label=_("The detail"),
        required=False,
        max_length=MAX_INPUT_CHARS,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    where = forms.CharField(
        label=_("Town or postcode, or the app"),
        help_text=_(
            "For an employer or agency: its town or postcode. For a social media account: "
            "the app, for example Instagram."
        ),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    agree = forms.BooleanField(
        label=_("Use this detail to look for other reports about the same person or business."),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, value = data.get("kind") or "", (data.get("value") or "").strip()
        data["identifier"] = None
        if not kind and not value:
            return data
        if not value:
            raise forms.ValidationError(_("Write the detail, or choose nothing."))
        if not kind:
            raise forms.ValidationError(_("Choose what kind of detail this is."))
        if not data.get("agree"):
            raise forms.ValidationError(_("Tick the box to use this detail, or leave it empty."))
        try:
            data["identifier"] = normalise(kind, value, extra=data.get("where") or "")
        except InvalidIdentifier:
            raise forms.ValidationError(
                _(
                    "We could not read this detail. Check it (an employer needs its town or "
                    "postcode), or leave it empty."
                )
            ) from None
        return data

    @property
    def identifier(self) -> Identifier | None:
        identifier: Identifier | None = self.cleaned_data.get("identifier")
        return identifier
