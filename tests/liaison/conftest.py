"""Fixtures for the police liaison: a report with a canary in every section,
signed-in clients for each side, and a second police force."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from liaison_helpers import Sent, client_for, submit_full_report

from safereport.accounts.actions import do_create_organisation, do_create_staff
from safereport.accounts.models import Organisation, StaffUser
from safereport.cases.models import Report
from safereport.core.vocabulary import OrgKind, Role
from sr_testing.personas import PASSWORD


@pytest.fixture
def sent(personas) -> Sent:  # type: ignore[no-untyped-def]
    return submit_full_report(personas.support_org, wants="police_through_organisation")


@pytest.fixture
def report(sent: Sent) -> Report:
    return sent.report


@pytest.fixture
def caseworker(personas) -> Client:  # type: ignore[no-untyped-def]
    return client_for(personas.caseworker)


@pytest.fixture
def police(personas) -> Client:  # type: ignore[no-untyped-def]
    return client_for(personas.police_liaison)


@dataclass
class OtherForce:
    force: Organisation
    officer: StaffUser


@pytest.fixture
def other_force(personas) -> OtherForce:  # type: ignore[no-untyped-def]
    force = do_create_organisation(
        name="Other Constabulary",
        slug="other-constabulary",
        kind=OrgKind.POLICE_FORCE,
        contact_email="other-force@example.test",
        acting_user=None,
    )
    officer, _ = do_create_staff(
        organisation=force,
        username="other_officer",
        display_name="Other Officer",
        role=Role.POLICE_LIAISON,
        password=PASSWORD,
        acting_user=None,
    )
    return OtherForce(force, officer)
