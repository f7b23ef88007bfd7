"""A submitted report is sealed: the custodian's staff and the receipt open it, nobody else."""

from __future__ import annotations

import pytest

from conftest import submit
from safereport.accounts import keys
from safereport.accounts.models import OrganisationGrant, OrganisationKey, StaffKey
from safereport.cases.actions import AlreadySubmitted
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt, open_as_custodian, read_content
from safereport.core.crypto import CryptoError
from sr_testing.personas import PASSWORD


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
