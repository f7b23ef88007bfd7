"""The reporter's opt-in: details of who is responsible, used only when she agrees.

At the review step, one detail (``NameThemForm``); on the return page later,
several at once (``SeveralDetailsForm``: a ``DetailForm`` for each row and one
box to tick). Empty is the default and means nothing is added. Details are
used only when she ticks the box under the plain sentences of what happens on
a match and what never does (templates/matching/_name_them_sentences.html).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
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

# What to check when a detail of this kind cannot be read.
UNREADABLE_HINTS = {
    IdentifierKind.BUSINESS.value: _(
        "An employer or agency needs its town or postcode in the box below its name."
    ),
    IdentifierKind.PHONE.value: _(
        "Check the phone number's digits. A number from outside the UK needs its country "
        "code, for example +48."
    ),
    IdentifierKind.EMAIL.value: _("An email address looks like name@example.com."),
    IdentifierKind.SOCIAL.value: _(
        "Write the account name, and the app (for example Instagram) in the box below it."
    ),
    IdentifierKind.VEHICLE.value: _(
        "A vehicle registration has letters and numbers, for example AB12 CDE."
    ),
    IdentifierKind.COMPANY_NUMBER.value: _(
        "A Companies House number has 8 letters and numbers, for example 01234567."
    ),
    IdentifierKind.ADDRESS.value: _("An address needs a house number or its postcode."),
}


class DetailForm(forms.Form):
    """One detail: its kind, the detail, and its town, postcode or app."""

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

    def agreed(self, data: dict[str, Any]) -> bool:
        """Whether she ticked the box (a detail row alone has none: its form asks)."""
        return True

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
        if not self.agreed(data):
            raise forms.ValidationError(_("Tick the box to use this detail, or leave it empty."))
        try:
            data["identifier"] = normalise(kind, value, extra=data.get("where") or "")
        except InvalidIdentifier:
            hint = UNREADABLE_HINTS.get(kind, _("Check it, or leave it empty."))
            unreadable = _("We could not read this detail.")  # outside the f-string: extracted
            raise forms.ValidationError(f"{unreadable} {hint}") from None
        return data

    @property
    def identifier(self) -> Identifier | None:
        identifier: Identifier | None = self.cleaned_data.get("identifier")
        return identifier


AGREE_LABEL = _("Use this detail to look for other reports about the same person or business.")


class NameThemForm(DetailForm):
    """The review step's one detail, with its own box to tick."""

    prefix = "who"

    agree = forms.BooleanField(label=AGREE_LABEL, required=False)

    def agreed(self, data: dict[str, Any]) -> bool:
        return bool(data.get("agree"))


class AgreeForm(forms.Form):
    agree = forms.BooleanField(
        label=_("Use these details to look for other reports about the same person or business."),
        required=False,
    )


class SeveralDetailsForm:
    """Up to ``rows`` details (prefixes ``who-1`` ...) and one box to tick (``who-agree``).

    Valid when at least one row has a readable detail, every row that was
    started is readable, and the box is ticked. Each row keeps what was typed
    and its own error."""

    def __init__(self, data: QueryDict | None, rows: int) -> None:
        self.is_bound = data is not None
        self.rows = [DetailForm(data, prefix=f"who-{n}") for n in range(1, rows + 1)]
        self.consent = AgreeForm(data, prefix="who")
        self.errors: list[str] = []
        self._identifiers: list[Identifier] = []

    @staticmethod
    def started(data: QueryDict, rows: int) -> int:
        """How many rows of a POST have a detail written (what its proof of work pays for)."""
        return sum(1 for n in range(1, rows + 1) if data.get(f"who-{n}-value", "").strip())

    def is_valid(self) -> bool:
        rows_valid = all([row.is_valid() for row in self.rows])  # every row checked
        self.consent.is_valid()
        started = [
            row
            for row in self.rows
            if row.is_bound and any(row.data.get(row.add_prefix(f)) for f in ("kind", "value"))
        ]
        if not started:
            self.errors.append(str(_("Write at least one detail.")))
        elif not self.consent.cleaned_data.get("agree"):
            self.errors.append(str(_("Tick the box to use these details, or leave them empty.")))
        if rows_valid:
            self._identifiers = [row.identifier for row in self.rows if row.identifier is not None]
        return rows_valid and not self.errors

    @property
    def identifiers(self) -> list[Identifier]:
        return self._identifiers

    def refuse(self, message: str) -> None:
        """The details were not added: say why above the form, keeping what was typed."""
        self.errors.append(message)
