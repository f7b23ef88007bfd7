"""What caseworkers and recipients type, validated.

The share form accepts any organisation, purpose and section a request can
name, so that a crafted request reaches the firewall and is refused *and
recorded* there; the pages themselves offer only what the policy could
allow (no immigration authority, no immigration purpose, the immigration
section only to a legal adviser for legal advice).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safereport.accounts import permissions
from safereport.accounts.models import Organisation
from safereport.core.scan import find_identifiers
from safereport.core.vocabulary import Purpose, Section
from safereport.disclosures.models import PURPOSE_LABELS, SECTION_LABELS
from safereport.disclosures.selectors import immigration_authorities, recipients_for_sharing

# A transfer of custody has its own page (disclosures/transfers.py), never a package.
OFFERED_PURPOSES = [
    p
    for p in Purpose
    if p not in (Purpose.IMMIGRATION_ENFORCEMENT, Purpose.TRANSFER, Purpose.COORDINATED_SUPPORT)
]
SPOKEN_CONSENT_HELP = _(
    "For example: 'By phone on 3 March, with an interpreter in Spanish.' "
    "Do not write the reporter's name or immigration status."
)


def offered_sections(recipient: Organisation | None, purpose: Purpose | None) -> list[Section]:
    """The sections a page offers: the immigration section only where the
    policy could let it go (to a legal adviser, for legal advice)."""
    if (
        recipient is not None
        and purpose is not None
        and permissions.immigration_section_may_go_to(recipient.org_kind, purpose)
    ):
        return list(Section)
    return [s for s in Section if s is not Section.IMMIGRATION]


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def _messages(required: str, invalid: str | None) -> dict[str, str]:
    return {"required": required} | ({} if invalid is None else {"invalid_choice": invalid})


def organisation_radios(
    queryset: QuerySet[Organisation],
    label: str,
    required: str,
    invalid: str | None = None,
    *,
    field: type[forms.ModelChoiceField] = OrganisationChoiceField,  # type: ignore[type-arg]
) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    """A required choice of one organisation, as radio buttons."""
    return field(
        queryset=queryset,
        label=label,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=_messages(required, invalid),
    )


def radios(choices: list[tuple[str, str]], label: str, required: str) -> forms.ChoiceField:
    """A required choice of one value, as radio buttons."""
    return forms.ChoiceField(
        choices=choices,
        label=label,
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


def section_boxes(
    sections: Iterable[Section],
    label: str,
    required: str,
    invalid: str | None = None,
    *,
    help_text: str = "",
) -> forms.MultipleChoiceField:
    """A required choice of sections of a report, as tick boxes."""
    return forms.MultipleChoiceField(
        choices=[(s.value, SECTION_LABELS[s]) for s in sections],
        label=label,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_messages(required, invalid),
    )


def text_box(
    label: str, max_length: int, required: str | None = None, *, help_text: str = "", rows: int = 3
) -> forms.CharField:
    """Free text in a text area: required, with the message ``required``, or
    optional when there is none."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        required=required is not None,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={} if required is None else {"required": required},
    )


class RecipientStepForm(forms.Form):
    """Step one of sharing: to whom, and why (offered choices only)."""

    recipient = organisation_radios(
        recipients_for_sharing(), _("Share with"), _("Choose the organisation to share with.")
    )
    purpose = radios(
        [(p.value, PURPOSE_LABELS[p]) for p in OFFERED_PURPOSES],
        _("Why"),
        _("Choose why you are sharing."),
    )


class ShareForm(forms.Form):
    """The disclosure itself. Accepts any value the firewall can name (see
    the module docstring); the page offers fewer."""

    recipient = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the organisation to share with."),
            "invalid_choice": _("That organisation does not exist. Start again."),
        },
    )
    purpose = forms.ChoiceField(
        choices=[(p.value, PURPOSE_LABELS[p]) for p in Purpose],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose why you are sharing.")},
    )
    sections = section_boxes(
        Section, _("What to share"), _("Choose at least one section to share.")
    )


class ConsentForm(forms.Form):
    """A consent the reporter gave by speaking to a caseworker."""

    recipient = organisation_radios(
        recipients_for_sharing(),
        _("The reporter agreed to share with"),
        _("Choose the organisation the reporter agreed to."),
    )
    purpose = radios(
        [(p.value, PURPOSE_LABELS[p]) for p in OFFERED_PURPOSES],
        _("For"),
        _("Choose the purpose the reporter agreed to."),
    )
    sections = section_boxes(Section, _("These sections"), _("Choose at least one section."))
    note = text_box(
        _("How and when the reporter said so"),
        500,
        _("Write down how and when the reporter gave this consent."),
        help_text=SPOKEN_CONSENT_HELP,
    )


class OverrideForm(forms.Form):
    """A safeguarding override request. Never offers the immigration section,
    nor a recipient the policy would refuse an override to (it allows a police
    force or a specialist service)."""

    recipient = organisation_radios(
        Organisation.objects.filter(
            kind__in=sorted(kind.value for kind in permissions.override_recipient_kinds())
        ),
        _("Share with"),
        _("Choose a police force or a specialist service."),
        _("An override can only go to a police force or a specialist service."),
    )
    purpose = radios(
        [(p.value, PURPOSE_LABELS[p]) for p in (Purpose.SAFEGUARDING, Purpose.CRIME_INVESTIGATION)],
        _("Why"),
        _("Choose why you are sharing."),
    )
    sections = section_boxes(
        [s for s in Section if s is not Section.IMMIGRATION],
        _("What to share"),
        _("Choose at least one section to share."),
        _("An override can never include the immigration section."),
    )
    reason = text_box(
        _("The risk to life"),
        2000,
        _("Describe the risk to life."),
        help_text=_(
            "Describe the risk and why it cannot wait for the reporter's consent. "
            "A second member of staff will read this before anything is shared."
        ),
        rows=5,
    )


class ImmigrationRequestForm(forms.Form):
    authority = organisation_radios(
        immigration_authorities(), _("Who sent the request"), _("Choose who sent the request.")
    )
    what_was_asked = text_box(
        _("What they asked for, in a few words"),
        500,
        _("Say in a few words what the request asked for."),
        help_text=_(
            "For example: 'Address and status of a client'. Do not copy names, dates of birth "
            "or reference numbers from the letter."
        ),
    )
    received_on = forms.DateField(
        label=_("Date it arrived"),
        help_text=_("For example: 2026-03-27"),
        error_messages={
            "required": _("Enter the date the request arrived."),
            "invalid": _("Enter the date as year-month-day, for example 2026-03-27."),
        },
    )

    def clean_what_was_asked(self) -> str:
        """Kept minimal: a reference or document number copied from the letter
        is refused (core.scan finds passport, BRP, Home Office and NI numbers)."""
        text: str = self.cleaned_data["what_was_asked"]
        if find_identifiers(text):
            raise forms.ValidationError(
                _(
                    "This looks like it contains a reference or document number. Remove it: "
                    "write only what kind of information was asked for."
                )
            )
        return text

    def clean_received_on(self):  # type: ignore[no-untyped-def]
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date the request arrived cannot be in the future."))
        return day


# -- transfer of custody (issue 13, item 3) --------------------------------------


class TransferForm(forms.Form):
    """Propose a transfer. Offers only organisations that could take the report
    over, but accepts any existing one, so that the action says clearly why
    a crafted choice (police, no readers, an immigration authority) is refused."""

    recipient = organisation_radios(
        Organisation.objects.all(),
        _("Move the report to"),
        _("Choose the organisation that will continue the support."),
        _("That organisation does not exist. Choose one from the list."),
    )

    def __init__(self, *args: object, offered: QuerySet[Organisation], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["recipient"]
        assert isinstance(field, OrganisationChoiceField)  # noqa: S101 - built above
        field.widget.choices = [(o.pk, field.label_from_instance(o)) for o in offered]


class SpokenTransferConsentForm(forms.Form):
    note = text_box(
        _("How and when the reporter agreed"),
        500,
        _("Write down how and when the reporter agreed to the transfer."),
        help_text=SPOKEN_CONSENT_HELP,
    )


class TransferOverrideForm(forms.Form):
    reason = text_box(
        _("The risk to life"),
        2000,
        _("Describe the risk to life."),
        help_text=_(
            "Describe the risk and why it cannot wait for the reporter's agreement. A second "
            "member of staff will read this before the report moves."
        ),
        rows=5,
    )
