from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp import match_token

from safereport.accounts.demo import STAFF
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.vocabulary import OrgKind, Role

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_has_every_kind_of_organisation_and_every_role():
    run_demo()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {k.value for k in OrgKind} == kinds
    assert Organisation.objects.filter(kind=OrgKind.SUPPORT_ORG).count() == 2
    assert Organisation.objects.filter(kind=OrgKind.POLICE_FORCE).count() == 1
    assert {r.value for r in Role} == set(StaffUser.objects.values_list("role", flat=True))
    assert not StaffUser.objects.filter(organisation__kind=OrgKind.IMMIGRATION_AUTHORITY).exists()


def test_demo_is_idempotent_and_prints_working_logins():
    first = run_demo()
    counts = (Organisation.objects.count(), StaffUser.objects.count())
    second = run_demo()
    assert (Organisation.objects.count(), StaffUser.objects.count()) == counts
    for person in STAFF:
        assert person.username in first and person.username in second
    lucia = StaffUser.objects.get(username="lucia")
    line = next(line for line in second.splitlines() if line.startswith("lucia "))
    backup_code = line.split()[-1]
    assert match_token(lucia, backup_code) is not None
    # Used codes come back when the demo is run again.
    run_demo()
    assert match_token(lucia, backup_code) is not None


def test_democode_prints_a_code_that_signs_in(client):
    run_demo()
    out = io.StringIO()
    call_command("democode", "priya", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    response = client.post(
        "/staff/login/",
        {"username": "priya", "password": "demo-safe-report-2026", "code": code},
    )
    assert response.status_code == 302


def test_democode_refuses_accounts_that_are_not_demo_accounts():
    run_demo()
    with pytest.raises(CommandError):
        call_command("democode", "someone-else")


def test_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        run_demo()


def test_demo_opens_the_barriers_survey_once():
    from safereport.survey.models import SurveyDesign

    run_demo()
    run_demo()
    assert SurveyDesign.objects.count() == 1
