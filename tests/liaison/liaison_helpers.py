"""Helpers for the police liaison's tests (imported by name: no clash with other conftests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.actions import CleanFile, NewReport, derive_new_receipt, do_submit_report
from safereport.cases.models import Report
from safereport.core.vocabulary import Section
from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage
from safereport.liaison.models import LiaisonMessage, PoliceHandover
from sr_testing.personas import sign_in

# One canary per section: a summary or a page shows exactly the sections it should.
CANARIES = {
    Section.INCIDENT: "canary-incident-7f3a",
    Section.PERPETRATOR: "canary-perpetrator-2b9c",
    Section.IDENTITY: "canary-identity-5d1e",
    Section.CONTACT: "canary-contact-8e4f",
    Section.SUPPORT_NEEDS: "canary-support-3c6a",
}
ATTACHMENT_TEXT = b"canary-attachment-9a0b"


@dataclass
class Sent:
    report: Report
    passphrase: str


def submit_full_report(organisation: Organisation, *, wants: str) -> Sent:
    """A report through the real action, with every section a reporter can fill."""
    passphrase, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants=wants,
            custodian=organisation,
            sections={
                Section.INCIDENT: {
                    "what": CANARIES[Section.INCIDENT],
                    "when": "Friday night",
                    "where": "at home",
                },
                Section.PERPETRATOR: {"who": CANARIES[Section.PERPETRATOR]},
                Section.IDENTITY: {"name": CANARIES[Section.IDENTITY]},
                Section.CONTACT: {"channel": "phone", "detail": CANARIES[Section.CONTACT]},
                Section.SUPPORT_NEEDS: {"needs": CANARIES[Section.SUPPORT_NEEDS]},
            },
            attachments=(CleanFile(data=ATTACHMENT_TEXT, media_type="text/plain; charset=utf-8"),),
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    return Sent(report, passphrase)


def client_for(user: StaffUser) -> Client:
    client = Client()
    response = sign_in(client, user)
    assert response.status_code == 302, "sign-in failed"
    return client


def new_url(report: Report) -> str:
    return reverse("staff:police_new", kwargs={"public_id": report.public_id})


def send(client: Client, report: Report, **fields: Any):  # type: ignore[no-untyped-def]
    """POST the police form as a browser would: way (named unless given), force,
    sections (the incident unless given), consent, consent_words,
    protocol_limits_told (ticked unless given), appointment_at, appointment_place."""
    data: dict[str, Any] = {
        "way": "named",
        "sections": ["incident"],
        "consent": "spoken",
        "consent_words": "Yes, by phone today.",
        "protocol_limits_told": "on",
    }
    data.update(fields)
    if hasattr(data.get("force"), "pk"):
        data["force"] = data["force"].pk
    return client.post(new_url(report), data)


def send_on_record(client: Client, report: Report, **fields: Any):  # type: ignore[no-untyped-def]
    """POST the police form relying on the consent already on record (no new words)."""
    return send(client, report, consent="existing", consent_words="", **fields)


def refuse_every_police_disclosure(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Decide with the published policy plus a stricter local rule (a forbid an
    organisation may add) that refuses every disclosure to a police force."""
    from safereport.core import policy

    stricter = policy.with_local_rules(
        '@id("local-no-police")\n'
        "forbid (principal, action, resource)\n"
        'when { context.recipient_kind == "police_force" };\n'
    )
    published = policy.decide
    monkeypatch.setattr(
        policy, "decide", lambda request, _policy=None: published(request, stricter)
    )


def handover_url(handover: PoliceHandover, name: str = "police_handover") -> str:
    return reverse(f"staff:{name}", kwargs={"handover_id": handover.pk})


def answer_url(question: LiaisonMessage) -> str:
    return reverse(
        "staff:police_answer",
        kwargs={"handover_id": question.handover_id, "question_id": question.pk},
    )


class Counts:
    """What exists now, to check that a refusal left nothing but its record."""

    def __init__(self) -> None:
        self.attempts = DisclosureAttempt.objects.count()
        self.refused = DisclosureAttempt.objects.filter(allowed=False).count()
        self.packages = DisclosurePackage.objects.count()
        self.handovers = PoliceHandover.objects.count()
        self.messages = LiaisonMessage.objects.count()

    def nothing_sent_since(self, report: Report) -> bool:
        """No attempt, no handover and no consent for ``report`` since these counts."""
        from safereport.cases.models import Consent

        after = Counts()
        return (after.attempts, after.handovers) == (
            self.attempts,
            self.handovers,
        ) and not Consent.objects.filter(report=report).exists()


def assert_form_refused(response, message: str, before: Counts, report: Report) -> None:  # type: ignore[no-untyped-def]
    """The send form came back (400) saying ``message``, with what was typed
    kept, and nothing was sent or consented."""
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Yes, by phone today." in page  # what was typed is kept
    assert before.nothing_sent_since(report)


def is_checked(page: str, name: str, value: str) -> bool:
    """True when the page's input ``name`` with ``value`` is checked."""
    import re

    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    return False


def send_by_action(
    personas,  # type: ignore[no-untyped-def]
    report: Report,
    *,
    sections: Any,
    way: Any = "named",
    force: Organisation | None = None,
    consent_words: str = "",
    protocol_limits_told: bool = True,
    **extra: Any,
):
    """``do_send_to_police`` as the caseworker does it, with their unlocked key."""
    from safereport.liaison.actions import do_send_to_police
    from sr_testing.personas import unlocked_organisation_key

    return do_send_to_police(
        report,
        force=force or personas.police_force,
        way=way,
        sections=sections,
        consent_words=consent_words,
        protocol_limits_told=protocol_limits_told,
        organisation_key=unlocked_organisation_key(personas.caseworker),
        acting_user=personas.caseworker,
        **extra,
    )


def police_consent(personas, report: Report, sections: Any, note: str, *, force=None):  # type: ignore[no-untyped-def]
    """The reporter's spoken consent to a police force (``personas.police_force``
    unless ``force``) for a crime investigation, recorded by the caseworker."""
    from safereport.core.vocabulary import Purpose
    from safereport.disclosures.actions import do_record_spoken_consent

    return do_record_spoken_consent(
        report,
        recipient=force or personas.police_force,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=sections,
        note=note,
        acting_user=personas.caseworker,
    )


def make_handover(
    personas, report: Report, *, way: str = "named", sections=None, force=None, **extra: Any
) -> PoliceHandover:  # type: ignore[no-untyped-def]
    """A handover made through the real action, with consent in the reporter's words."""
    outcome = send_by_action(
        personas,
        report,
        way=way,
        force=force,
        sections=sections or [Section.INCIDENT, Section.PERPETRATOR],
        consent_words="Yes, in person today.",
        **extra,
    )
    assert outcome.handover is not None
    return outcome.handover
