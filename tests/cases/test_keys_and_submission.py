"""A submitted report is sealed: the custodian's staff and the receipt open it, nobody else."""

from __future__ import annotations

import pytest

from safereport.accounts import keys
from safereport.accounts.models import OrganisationGrant, OrganisationKey, StaffKey
from safereport.cases.actions import AlreadySubmitted
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt, open_as_custodian, read_content
from safereport.core.crypto import CryptoError
from sr_testing.personas import PASSWORD
from sr_testing.reports import submit


def _org_key_of(user):  # type: ignore[no-untyped-def]
    staff = keys.vault().unlock_staff(
        keys.staff_id(user), keys.record_of(StaffKey.objects.get(staff=user)), PASSWORD
    )
    return keys.unlock_organisation_for(user, staff)


def test_every_staff_member_has_a_key_and_colleagues_share_the_organisation_key(personas):
    assert OrganisationKey.objects.filter(organisation=personas.support_org).count() == 1
    for user in (personas.caseworker, personas.org_admin):
        assert StaffKey.objects.filter(staff=user).exists()
        assert OrganisationGrant.objects.filter(staff=user).exists()
        assert _org_key_of(user).org_id == keys.org_id(personas.support_org)


def test_the_custodian_and_the_receipt_open_the_report_and_another_org_cannot(personas):
    report, passphrase = submit(personas, text="canary-xyz")
    content = read_content(report, open_as_custodian(report, _org_key_of(personas.caseworker)))
    assert content.sections["incident"][0].answers["what"] == "canary-xyz"
    assert "identity" not in content.sections  # empty sections are not stored
    found = find_by_receipt(keys.vault().derive_receipt(passphrase))
    assert found is not None and found[0] == report
    with pytest.raises(CryptoError):
        open_as_custodian(report, _org_key_of(personas.other_caseworker))


def test_a_draft_submitted_twice_makes_one_report(personas):
    first, _ = submit(personas, token="draft-1")
    with pytest.raises(AlreadySubmitted) as raised:
        submit(personas, token="draft-1")
    assert raised.value.report == first
    assert Report.objects.count() == 1


def test_a_password_change_rewraps_the_same_key(personas):
    from safereport.accounts.actions import do_change_password
    from safereport.core.crypto import WrongPassword

    user = personas.caseworker
    before = StaffKey.objects.get(staff=user)
    new_password = "another-long-test-passphrase"
    do_change_password(user, old_password=PASSWORD, new_password=new_password, acting_user=user)
    after = StaffKey.objects.get(staff=user)
    assert bytes(after.public_key) == bytes(before.public_key)
    assert bytes(after.salt) != bytes(before.salt)
    record = keys.record_of(after)
    with pytest.raises(WrongPassword):
        keys.vault().unlock_staff(keys.staff_id(user), record, PASSWORD)
    staff = keys.vault().unlock_staff(keys.staff_id(user), record, new_password)
    assert keys.unlock_organisation_for(user, staff) is not None  # grants still open


def test_a_new_colleague_waits_for_a_signed_in_colleague_to_grant_the_key(personas):
    from safereport.accounts.actions import do_create_staff, do_grant_organisation_key
    from safereport.core.vocabulary import Role

    newcomer, enrolment = do_create_staff(
        organisation=personas.support_org,
        username="newcomer",
        display_name="Newcomer",
        role=Role.CASEWORKER,
        password=PASSWORD,
        acting_user=None,
    )
    assert enrolment.organisation_recovery_secret is None  # only the founder's run shows it
    assert not OrganisationGrant.objects.filter(staff=newcomer).exists()
    do_grant_organisation_key(
        newcomer, organisation_key=_org_key_of(personas.org_admin), acting_user=personas.org_admin
    )
    assert _org_key_of(newcomer).org_id == keys.org_id(personas.support_org)


def test_the_recovery_secret_opens_the_organisation_key(db):
    from safereport.accounts.actions import do_create_organisation, do_create_staff
    from safereport.core.vocabulary import OrgKind, Role

    org = do_create_organisation(
        name="Fresh", slug="fresh", kind=OrgKind.SUPPORT_ORG, acting_user=None
    )
    _, enrolment = do_create_staff(
        organisation=org,
        username="founder",
        display_name="Founder",
        role=Role.ORG_ADMIN,
        password=PASSWORD,
        acting_user=None,
    )
    key = OrganisationKey.objects.get(organisation=org)
    recovered = keys.vault().recover_organisation(
        keys.org_id(org),
        bytes(key.public_key),
        bytes(key.recovery_wrap),
        enrolment.organisation_recovery_secret,
    )
    assert recovered.public_key == bytes(key.public_key)


def test_the_demo_gives_every_caseworker_the_organisation_key(db):
    from safereport.accounts.demo import seed_demo
    from safereport.accounts.models import StaffUser

    seed_demo()
    for user in StaffUser.objects.filter(role__in=["caseworker", "org_admin"]):
        assert OrganisationGrant.objects.filter(staff=user).exists(), user.username
    seed_demo()  # idempotent


def test_an_admin_gives_a_waiting_colleague_the_key_from_the_organisation_page(client, personas):
    from django.urls import reverse

    from safereport.accounts.actions import do_create_staff
    from safereport.core.vocabulary import Role
    from sr_testing.personas import sign_in

    newcomer, _ = do_create_staff(
        organisation=personas.support_org,
        username="newcomer",
        display_name="New Colleague",
        role=Role.CASEWORKER,
        password=PASSWORD,
        acting_user=None,
    )
    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:organisation")).content.decode()
    assert "Give New Colleague access" in page
    response = client.post(reverse("staff:organisation_grant_key", args=[newcomer.pk]))
    assert response.status_code == 302
    assert OrganisationGrant.objects.filter(staff=newcomer).exists()
    # another organisation's staff cannot be granted this key
    foreign = client.post(
        reverse("staff:organisation_grant_key", args=[personas.other_caseworker.pk])
    )
    assert foreign.status_code == 403


def test_the_demo_repairs_a_database_made_before_keys_existed(db):
    from safereport.accounts.demo import seed_demo

    seed_demo()
    OrganisationGrant.objects.all().delete()
    OrganisationKey.objects.all().delete()
    StaffKey.objects.all().delete()
    logins = seed_demo()
    founded = [x for x in logins if x.enrolment.organisation_recovery_secret]
    assert {x.staff.organisation.slug for x in founded} >= {"puerta-abierta", "noor-sisters"}
    from safereport.accounts.models import StaffUser

    for user in StaffUser.objects.filter(role__in=["caseworker", "org_admin"]):
        assert OrganisationGrant.objects.filter(staff=user).exists(), user.username
