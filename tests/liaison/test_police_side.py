"""The police force's side: list, open, acknowledge, crime reference, questions,
answers and updates, through HTTP as the right users; refused for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse
from liaison_helpers import CANARIES, answer_url, client_for, handover_url, make_handover

from safereport.accounts.models import AuditEvent
from safereport.core.events import EventKind
from safereport.core.vocabulary import Section
from safereport.liaison.models import LiaisonMessage, PoliceHandover

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(personas, report) -> PoliceHandover:  # type: ignore[no-untyped-def]
    return make_handover(personas, report)


def test_the_force_lists_its_handovers_and_opens_the_package(police, personas, handover):
    listing = police.get(reverse("staff:police"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert handover_url(handover) in page
    assert "Not yet" in page  # not acknowledged
    opened = police.get(handover_url(handover))
    assert opened.status_code == 200
    page = opened.content.decode()
    assert CANARIES[Section.INCIDENT] in page
    assert CANARIES[Section.PERPETRATOR] in page
    assert AuditEvent.objects.filter(
        kind=EventKind.PACKAGE_OPENED,
        actor=personas.police_liaison,
        detail__package=handover.package.package_id,
    ).exists()
    for section in (Section.IDENTITY, Section.CONTACT, Section.SUPPORT_NEEDS):
        assert CANARIES[section] not in page
    assert (
        reverse("staff:disclosure_package", kwargs={"package_id": handover.package.package_id})
        in page
    )
    # The package page links back to the handover (the package panel).
    package_page = police.get(
        reverse("staff:disclosure_package", kwargs={"package_id": handover.package.package_id})
    ).content.decode()
    assert handover_url(handover) in package_page


def test_acknowledge_with_a_crime_reference_then_change_it(
    police, caseworker, personas, report, handover
):
    response = police.post(
        handover_url(handover, "police_acknowledge"), {"crime_reference": "01/777777/26"}
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None
    assert handover.acknowledged_by == personas.police_liaison
    first_ack = handover.acknowledged_at
    assert b"01/777777/26" not in bytes(handover.crime_reference_for_report)
    assert b"01/777777/26" not in bytes(handover.crime_reference_for_package)
    assert "01/777777/26" in police.get(handover_url(handover)).content.decode()
    case = caseworker.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert "01/777777/26" in case.content.decode()
    changed = police.post(
        handover_url(handover, "police_crime_reference"), {"crime_reference": "CR-2026-0042"}
    )
    assert changed.status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_at == first_ack  # acknowledged once
    page = police.get(handover_url(handover)).content.decode()
    assert "CR-2026-0042" in page and "01/777777/26" not in page
    kinds = list(
        AuditEvent.objects.filter(actor=personas.police_liaison).values_list("kind", flat=True)
    )
    assert kinds.count(EventKind.POLICE_HANDOVER_ACKNOWLEDGED) == 1
    assert kinds.count(EventKind.POLICE_CRIME_REFERENCE_RECORDED) == 2


def test_acknowledge_without_a_reference(police, handover):
    assert police.post(handover_url(handover, "police_acknowledge"), {}).status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_at is not None
    assert handover.crime_reference_id == ""


@pytest.mark.parametrize("typed", ["<script>x</script>", "x" * 41, "ref; DROP"])
def test_a_bad_crime_reference_is_refused_and_kept(police, handover, typed):
    response = police.post(handover_url(handover, "police_acknowledge"), {"crime_reference": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    handover.refresh_from_db()
    assert handover.acknowledged_at is None
    assert handover.crime_reference_id == ""
    if typed == "ref; DROP":
        assert 'value="ref; DROP"' in page  # what was typed is kept


def test_an_empty_crime_reference_is_refused(police, handover):
    police.post(handover_url(handover, "police_acknowledge"), {})
    response = police.post(
        handover_url(handover, "police_crime_reference"), {"crime_reference": " "}
    )
    assert response.status_code == 400
    assert "Type the crime reference number." in response.content.decode()


def test_question_answer_and_update_go_both_ways(police, caseworker, personas, report, handover):
    asked = police.post(
        handover_url(handover, "police_question"),
        {"text": "canary-question: can she come on Thursday?"},
    )
    assert asked.status_code == 302
    question = LiaisonMessage.objects.get(kind="question")
    assert b"canary-question" not in bytes(question.for_report)
    assert b"canary-question" not in bytes(question.for_package)
    case_url = reverse("staff:case", kwargs={"public_id": report.public_id})
    case = caseworker.get(case_url).content.decode()
    assert "canary-question: can she come on Thursday?" in case
    assert "Open question" in case
    assert answer_url(question) in case
    answer_page = caseworker.get(answer_url(question))
    assert answer_page.status_code == 200
    assert "canary-question" in answer_page.content.decode()
    empty = caseworker.post(answer_url(question), {"text": "  "})
    assert empty.status_code == 400
    assert "Write something first." in empty.content.decode()
    answered = caseworker.post(answer_url(question), {"text": "canary-answer: yes, at ten."})
    assert answered.status_code == 302
    answer = LiaisonMessage.objects.get(kind="answer")
    assert answer.question == question and answer.author == personas.caseworker
    police_page = police.get(handover_url(handover)).content.decode()
    assert "canary-answer: yes, at ten." in police_page
    assert "Open question" not in caseworker.get(case_url).content.decode()
    updated = police.post(
        handover_url(handover, "police_update"), {"text": "canary-update: suspect interviewed"}
    )
    assert updated.status_code == 302
    assert (
        "canary-update: suspect interviewed" in police.get(handover_url(handover)).content.decode()
    )
    assert "canary-update: suspect interviewed" in caseworker.get(case_url).content.decode()
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {
        EventKind.POLICE_QUESTION_ASKED,
        EventKind.POLICE_QUESTION_ANSWERED,
        EventKind.POLICE_UPDATE_POSTED,
    } <= kinds


def test_an_empty_question_or_update_is_refused_and_nothing_written(police, handover):
    for name in ("police_question", "police_update"):
        response = police.post(handover_url(handover, name), {"text": ""})
        assert response.status_code == 400
        assert "Write something first." in response.content.decode()
    assert LiaisonMessage.objects.count() == 0


def test_a_caseworker_following_the_link_lands_on_the_case(caseworker, report, handover):
    response = caseworker.get(handover_url(handover))
    assert response.status_code == 302
    assert response.url == (
        reverse("staff:case", kwargs={"public_id": report.public_id}) + "#police-liaison"
    )


# -- refusals ----------------------------------------------------------------------


def test_a_caseworker_cannot_act_for_the_police(caseworker, personas, handover):
    for name in (
        "police_acknowledge",
        "police_crime_reference",
        "police_question",
        "police_update",
    ):
        response = caseworker.post(
            handover_url(handover, name), {"crime_reference": "1/2", "text": "x"}
        )
        assert response.status_code == 403
    assert caseworker.get(handover_url(handover, "police_summary")).status_code == 403
    handover.refresh_from_db()
    assert handover.acknowledged_at is None
    assert LiaisonMessage.objects.count() == 0


def test_the_police_cannot_answer(police, personas, handover):
    police.post(handover_url(handover, "police_question"), {"text": "A question?"})
    question = LiaisonMessage.objects.get()
    assert police.post(answer_url(question), {"text": "answering myself"}).status_code == 403
    assert police.get(answer_url(question)).status_code == 403
    assert LiaisonMessage.objects.count() == 1


def test_another_force_gets_404_for_everything_and_is_recorded(
    personas, report, handover, other_force
):
    other = client_for(other_force.officer)
    assert handover_url(handover) not in other.get(reverse("staff:police")).content.decode()
    assert other.get(handover_url(handover)).status_code == 404
    assert other.get(handover_url(handover, "police_summary")).status_code == 404
    for name in (
        "police_acknowledge",
        "police_crime_reference",
        "police_question",
        "police_update",
    ):
        assert (
            other.post(handover_url(handover, name), {"crime_reference": "1/2", "text": "x"})
        ).status_code == 404
    package_url = reverse(
        "staff:disclosure_package", kwargs={"package_id": handover.package.package_id}
    )
    assert other.get(package_url).status_code == 404
    refused = AuditEvent.objects.filter(
        kind=EventKind.POLICE_ACCESS_REFUSED, actor=other_force.officer
    )
    assert refused.count() == 6
    handover.refresh_from_db()
    assert handover.acknowledged_at is None
    assert LiaisonMessage.objects.count() == 0


def test_the_police_reach_nothing_of_another_forces_handover(police, personas, report, other_force):
    theirs = make_handover(personas, report, force=other_force.force)
    assert police.get(handover_url(theirs)).status_code == 404
    assert police.get(handover_url(theirs, "police_summary")).status_code == 404
    assert police.post(handover_url(theirs, "police_acknowledge"), {}).status_code == 404
    assert handover_url(theirs) not in police.get(reverse("staff:police")).content.decode()
    assert police.get(handover_url(theirs).replace(str(theirs.pk), "999999")).status_code == 404


def test_the_police_reach_no_case_page_referral_or_sharing_page(police, personas, report, handover):
    public_id = report.public_id
    for url in (
        reverse("staff:case", kwargs={"public_id": public_id}),
        reverse("staff:inbox"),
        reverse("staff:disclosure_report", kwargs={"public_id": public_id}),
        reverse("staff:disclosure_share", kwargs={"public_id": public_id}),
        reverse("staff:police_new", kwargs={"public_id": public_id}),
        reverse("staff:referrals"),
    ):
        assert police.get(url).status_code in (403, 404), url
    question_url = reverse(
        "staff:police_answer", kwargs={"handover_id": handover.pk, "question_id": 1}
    )
    assert police.get(question_url).status_code == 403


def test_service_staff_and_another_organisation_are_refused(personas, report, handover):
    service = client_for(personas.service_staff)
    assert service.get(handover_url(handover)).status_code == 403
    assert service.get(handover_url(handover, "police_summary")).status_code == 403
    assert service.post(handover_url(handover, "police_acknowledge"), {}).status_code == 403
    assert service.get(reverse("staff:police")).status_code == 403
    other = client_for(personas.other_caseworker)
    assert other.get(handover_url(handover)).status_code == 404
    police_client = client_for(personas.police_liaison)
    police_client.post(handover_url(handover, "police_question"), {"text": "Q?"})
    question = LiaisonMessage.objects.get()
    assert other.get(answer_url(question)).status_code == 404
    assert other.post(answer_url(question), {"text": "not mine"}).status_code == 404
    assert LiaisonMessage.objects.count() == 1
