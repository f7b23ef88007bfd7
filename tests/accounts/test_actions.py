from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from safereport.accounts.actions import ActionRefused, do_create_staff, do_issue_backup_codes
from safereport.accounts.models import AuditEvent, StaffUser
from safereport.core.vocabulary import Role

pytestmark = pytest.mark.django_db


def test_an_immigration_authority_can_never_have_an_account(personas):
    with pytest.raises(ActionRefused, match="immigration authority"):
        do_create_staff(
            organisation=personas.immigration_authority,
            username="ie-officer",
            display_name="Officer",
            role=Role.CASEWORKER,
            password="a-long-test-passphrase",
            acting_user=None,
        )
    assert not StaffUser.objects.filter(username="ie-officer").exists()


def test_a_role_must_fit_the_kind_of_organisation(personas):
    with pytest.raises(ActionRefused, match="police_liaison"):
        do_create_staff(
            organisation=personas.support_org,
            username="not-police",
            display_name="Not Police",
            role=Role.POLICE_LIAISON,
            password="a-long-test-passphrase",
            acting_user=None,
        )


def test_only_an_admin_of_the_same_organisation_adds_staff(personas):
    kwargs = dict(
        username="newcomer",
        display_name="Newcomer",
        role=Role.CASEWORKER,
        password="a-long-test-passphrase",
    )
    with pytest.raises(ActionRefused):
        do_create_staff(
            organisation=personas.support_org, acting_user=personas.caseworker, **kwargs
        )
    with pytest.raises(ActionRefused):
        do_create_staff(
            organisation=personas.other_support_org, acting_user=personas.org_admin, **kwargs
        )
    user, enrolment = do_create_staff(
        organisation=personas.support_org, acting_user=personas.org_admin, **kwargs
    )
    assert user.organisation == personas.support_org
    assert len(enrolment.backup_codes) == 10
    assert enrolment.otpauth_uri.startswith("otpauth://totp/")
    event = AuditEvent.objects.get(kind="staff_created", detail__username="newcomer")
    assert event.actor == personas.org_admin


def test_weak_passwords_are_refused(personas):
    with pytest.raises(ValidationError):
        do_create_staff(
            organisation=personas.support_org,
            username="weak",
            display_name="Weak",
            role=Role.CASEWORKER,
            password="password",
            acting_user=None,
        )


def test_duplicate_usernames_are_refused_whatever_the_case(personas):
    with pytest.raises(ActionRefused, match="taken"):
        do_create_staff(
            organisation=personas.support_org,
            username="CaseWorker",
            display_name="Dup",
            role=Role.CASEWORKER,
            password="a-long-test-passphrase",
            acting_user=None,
        )


def test_backup_codes_can_be_replaced_by_self_or_own_admin_only(personas):
    codes = do_issue_backup_codes(personas.caseworker, acting_user=personas.caseworker)
    assert len(set(codes)) == 10
    do_issue_backup_codes(personas.caseworker, acting_user=personas.org_admin)
    with pytest.raises(ActionRefused):
        do_issue_backup_codes(personas.other_caseworker, acting_user=personas.org_admin)


def test_setting_up_keys_gives_a_keyless_account_its_key_and_the_organisations(personas):
    from safereport.accounts.actions import do_set_up_staff_keys
    from safereport.accounts.models import OrganisationGrant, StaffKey
    from sr_testing.personas import PASSWORD, unlocked_organisation_key

    admin_key = unlocked_organisation_key(personas.org_admin)
    user = personas.caseworker
    StaffKey.objects.filter(staff=user).delete()
    OrganisationGrant.objects.filter(staff=user).delete()
    refusals = [
        ({"password": "not-the-password", "acting_user": None}, "not the password"),
        ({"password": PASSWORD, "acting_user": personas.other_caseworker}, "Only an admin"),
    ]
    for kwargs, reason in refusals:
        with pytest.raises(ActionRefused, match=reason):
            do_set_up_staff_keys(user, organisation_key=admin_key, **kwargs)
    assert not StaffKey.objects.filter(staff=user).exists()
    recovery, unlocked = do_set_up_staff_keys(
        user, password=PASSWORD, organisation_key=admin_key, acting_user=None
    )
    assert recovery is None  # the organisation had its key already: granted, not founded
    assert unlocked is not None and unlocked.public_key == admin_key.public_key
    assert StaffKey.objects.filter(staff=user).exists()
    assert OrganisationGrant.objects.get(staff=user).granted_by is None
    assert unlocked_organisation_key(user).public_key == admin_key.public_key
    # Run again, the account lacks nothing: its organisation key is only opened.
    again = do_set_up_staff_keys(user, password=PASSWORD, acting_user=None)
    assert again[0] is None and again[1] is not None
    assert OrganisationGrant.objects.filter(staff=user).count() == 1
