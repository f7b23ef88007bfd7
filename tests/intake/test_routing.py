"""Routing never strands a report: an organisation is offered to reporters only
while an active caseworker (or admin) holds its key."""

from __future__ import annotations

import pytest
from django.urls import reverse
from journey import draft_token, step_url, submit, walk_to_review

from safereport.accounts.actions import do_create_organisation, do_create_staff
from safereport.accounts.demo import seed_demo
from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.actions import CUSTODIAN_KINDS
from safereport.cases.models import Report
from safereport.core.vocabulary import OrgKind, Role
from safereport.intake import directory
from sr_testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

UNAVAILABLE = "That organisation cannot take new reports at the moment"


def _centre_with(role: Role) -> tuple[Organisation, StaffUser]:
    org = do_create_organisation(
        name="Quiet Centre", slug="quiet-centre", kind=OrgKind.SUPPORT_ORG, acting_user=None
    )
    person, _ = do_create_staff(
        organisation=org,
        username="quiet",
        display_name="Quiet Person",
        role=role,
        password=PASSWORD,
        acting_user=None,
    )
    return org, person


def _offered() -> set[str]:
    return set(directory.custodians().values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("role", "offered"),
    [(Role.CASEWORKER, True), (Role.ORG_ADMIN, True), (Role.ANALYST, False)],
)
def test_only_an_organisation_whose_key_a_caseworker_holds_is_offered(personas, role, offered):
    org, _ = _centre_with(role)
    assert (org.slug in _offered()) is offered
    assert personas.support_org.slug in _offered()


def test_a_deactivated_last_caseworker_takes_the_organisation_off_the_list(personas):
    org, person = _centre_with(Role.CASEWORKER)
    assert org.slug in _offered()
    StaffUser.objects.filter(pk=person.pk).update(is_active=False)
    assert org.slug not in _offered()


def test_a_caseworker_without_the_key_is_not_enough(personas):
    org, person = _centre_with(Role.CASEWORKER)
    person.grant.delete()
    assert org.slug not in _offered()


def test_the_organisation_step_does_not_list_it_and_a_post_naming_it_is_refused_kindly(
    client, personas
):
    org, person = _centre_with(Role.CASEWORKER)
    walk_to_review(client, org)
    StaffUser.objects.filter(pk=person.pk).update(is_active=False)
    page = client.get(step_url("organisation")).content.decode()
    assert 'value="quiet-centre"' not in page
    assert f'value="{personas.support_org.slug}"' in page
    refused = client.post(step_url("organisation"), {"organisation": org.slug})
    assert refused.status_code == 400
    assert UNAVAILABLE in refused.content.decode()
    # Nothing lost: choosing another organisation goes straight to the review.
    chosen = client.post(step_url("organisation"), {"organisation": personas.support_org.slug})
    assert chosen["Location"] == reverse("public:report_review")
    review = client.get(reverse("public:report_review")).content.decode()
    assert "He pushed me and took my phone." in review


def test_the_review_and_the_submission_send_the_reporter_back_to_choose(client, personas):
    org, person = _centre_with(Role.CASEWORKER)
    walk_to_review(client, org)
    token = draft_token(client)
    StaffUser.objects.filter(pk=person.pk).update(is_active=False)
    response = submit(client, token)
    assert response.status_code == 302
    assert not Report.objects.exists()
    followed = client.get(response["Location"], follow=True).content.decode()
    assert UNAVAILABLE in followed
    review = client.get(reverse("public:report_review"))
    assert review["Location"] == step_url("organisation")
    client.post(step_url("organisation"), {"organisation": personas.support_org.slug})
    sent = submit(client, token)
    assert sent.status_code == 200
    assert Report.objects.get().custodian == personas.support_org


def test_the_demo_offers_every_organisation_that_takes_reports():
    seed_demo()
    custodian_kinds = [kind.value for kind in CUSTODIAN_KINDS]
    takes_reports = set(
        Organisation.objects.filter(kind__in=custodian_kinds).values_list("slug", flat=True)
    )
    assert "fair-work" in takes_reports
    assert _offered() == takes_reports
