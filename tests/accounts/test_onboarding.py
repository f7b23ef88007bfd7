"""An organisation runs itself: `safereport organisation create`, its first admin's
invitation, colleagues invited by role, deactivation, two-admin resets and
recovery. Real sessions, real TOTP codes from the secret the page shows, real keys."""

from __future__ import annotations

import datetime as dt
import io
import os
import stat

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safereport.accounts import keys
from safereport.accounts.models import (
    AuditEvent,
    Invitation,
    Organisation,
    OrganisationGrant,
    OrganisationKey,
    StaffUser,
)
from safereport.accounts.onboarding import token_hash
from safereport.transparency.models import LogEntry
from sr_testing.onboarding import (
    NEW_PASSWORD,
    code_for,
    found,
    join,
    path_of,
    secret_on,
    sign_in_with,
)
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db


def _events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind))


def _admin(client: Client, name: str = "Harbour Women's Aid", username: str = "amina"):  # type: ignore[no-untyped-def]
    founded = found(name)
    joined = join(client, founded.admin_link, username=username)
    assert joined.response.status_code == 200, joined.response.content.decode()[:800]  # type: ignore[attr-defined]
    user = StaffUser.objects.get(username=username)
    assert sign_in_with(client, user, joined.backup_codes[0]).status_code == 302
    return founded, user, joined


def _invite(client: Client, name: str, role: str) -> str:
    response = client.post(
        reverse("staff:organisation_invite"), {"display_name": name, "role": role}
    )
    assert response.status_code == 200, response.content.decode()[:800]
    page = response.content.decode()
    start = page.index('value="', page.index('id="invitation-link"')) + len('value="')
    return page[start : page.index('"', start)]


# -- step 1: the operator's command ---------------------------------------------------


def test_create_prints_a_one_time_admin_link_and_the_recovery_secret_once(tmp_path):
    sheet = tmp_path / "recovery.html"
    founded = found("Harbour Women's Aid", "--recovery-sheet", str(sheet))
    org = founded.organisation
    assert (org.kind, org.areas, org.languages) == (
        "support_org",
        ["Leeds", "Bradford"],
        ["en", "pl"],
    )
    # The secret opens the organisation key, and the server stores it nowhere.
    row = OrganisationKey.objects.get(organisation=org)
    keys.vault().recover_organisation(
        keys.org_id(org), bytes(row.public_key), bytes(row.recovery_wrap), founded.recovery_secret
    )
    for event in AuditEvent.objects.all():
        assert founded.recovery_secret not in str(event.detail)
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.role == "org_admin" and invitation.carries_key
    token = founded.admin_link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
    assert (
        dt.timedelta(hours=71)
        < invitation.expires_at - invitation.created_at
        <= dt.timedelta(hours=72)
    )
    # The printable sheet is where the operator said, readable by its owner only.
    assert founded.recovery_secret in sheet.read_text()
    assert stat.S_IMODE(os.stat(sheet).st_mode) == 0o600


def test_create_refuses_a_taken_name_and_an_unknown_referral_kind():
    found("Harbour Women's Aid")
    with pytest.raises(CommandError, match="exists already"):
        found("Harbour Women's Aid")
    with pytest.raises(CommandError, match="Unknown referral kinds"):
        found("X", "--referral-kinds", "nope")
    with pytest.raises(CommandError, match="can never have staff"):
        found("Border Force", "--kind", "immigration_authority")
    assert not Organisation.objects.filter(name="Border Force").exists()


# -- step 2: invitations --------------------------------------------------------------


def test_the_first_admin_joins_and_reads_a_report_that_was_waiting(client):
    founded = found()
    report, _ = submit(None, org=founded.organisation, text="canary-waiting-report")
    page = client.get(path_of(founded.admin_link)).content.decode()
    assert "<svg" in page and "<script" not in page  # the QR code, drawn on the server
    joined = join(client, founded.admin_link, username="amina")
    assert joined.response.status_code == 200  # type: ignore[attr-defined]
    assert len(joined.backup_codes) == 10
    admin = StaffUser.objects.get(username="amina")
    assert admin.staff_role == "org_admin" and admin.display_name == "Organisation admin"
    assert OrganisationGrant.objects.filter(staff=admin).exists()
    # Signs in with a real code: the TOTP step used at enrolment cannot be replayed,
    # so the backup code shown once is the second factor here.
    assert sign_in_with(client, admin, joined.backup_codes[0]).status_code == 302
    case = client.get(reverse("staff:case", args=[report.public_id]))
    assert "canary-waiting-report" in case.content.decode()
    assert _events("invitation_accepted")


def test_an_admin_invites_a_caseworker_who_reads_reports_at_once(client):
    founded, _, _ = _admin(client)
    report, _ = submit(None, org=founded.organisation, text="canary-for-caseworker")
    link = _invite(client, "Bea Nowak", "caseworker")
    invitation = Invitation.objects.get(display_name="Bea Nowak")
    assert invitation.carries_key and invitation.created_by.username == "amina"  # type: ignore[union-attr]
    worker_client = Client()
    joined = join(worker_client, link, username="bea")
    bea = StaffUser.objects.get(username="bea")
    assert bea.staff_role == "caseworker" and bea.display_name == "Bea Nowak"
    assert sign_in_with(worker_client, bea, joined.backup_codes[0]).status_code == 302
    page = worker_client.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "canary-for-caseworker" in page


def test_without_an_unlocked_key_the_colleague_waits_and_the_admin_grants_it(client):
    founded, admin, _ = _admin(client)
    report, _ = submit(None, org=founded.organisation, text="canary-granted-later")
    from safereport.accounts.onboarding import do_invite_staff
    from safereport.core.vocabulary import Role

    issued = do_invite_staff(
        founded.organisation,
        role=Role.CASEWORKER,
        display_name="Chen",
        organisation_key=None,
        acting_user=admin,
    )
    worker = Client()
    joined = join(worker, issued.link, username="chen")
    assert "waiting for the organisation key" in joined.response.content.decode()  # type: ignore[attr-defined]
    chen = StaffUser.objects.get(username="chen")
    assert not OrganisationGrant.objects.filter(staff=chen).exists()
    assert "Give Chen access" in client.get(reverse("staff:organisation")).content.decode()
    client.post(reverse("staff:organisation_grant_key", args=[chen.pk]))
    sign_in_with(worker, chen, joined.backup_codes[0])
    page = worker.get(reverse("staff:case", args=[report.public_id])).content.decode()
    assert "canary-granted-later" in page


def _nothing_changed(before_users: int, invitation: Invitation) -> None:
    invitation.refresh_from_db()
    assert StaffUser.objects.count() == before_users
    assert invitation.used_at is None and invitation.carries_key


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "password", "again": "password"}, "too common"),
        ({"password": "short", "again": "short"}, "too short"),
        ({"again": "something else entirely"}, "not the same"),
        ({"wrong_code": True}, "That code did not match"),
    ],
    ids=["common-password", "short-password", "mismatch", "wrong-totp"],
)
def test_bad_input_on_the_invitation_page_changes_nothing(client, data, message):
    founded = found()
    invitation = Invitation.objects.get(organisation=founded.organisation)
    users = StaffUser.objects.count()
    page = client.get(path_of(founded.admin_link)).content.decode()
    secret = secret_on(page)
    post = {
        "username": "amina",
        "password": NEW_PASSWORD,
        "again": NEW_PASSWORD,
        "code": code_for(secret, offset=500_000 if data.pop("wrong_code", False) else 0),
    }
    post.update(data)
    response = client.post(path_of(founded.admin_link), post)
    assert response.status_code == 400 and message in response.content.decode()
    assert secret_on(response.content.decode()) == secret  # the same QR code again
    _nothing_changed(users, invitation)
    if message != "not the same":  # the form catches a mismatch before the action
        assert AuditEvent.objects.filter(
            kind="invitation_refused", organisation=founded.organisation
        ).exists()


def test_a_reused_expired_tampered_or_withdrawn_link_is_refused_and_recorded(client):
    founded = found()
    joined = join(client, founded.admin_link, username="amina")
    assert joined.response.status_code == 200  # type: ignore[attr-defined]
    users = StaffUser.objects.count()
    again = client.get(path_of(founded.admin_link))
    assert again.status_code == 410 and "used already" in again.content.decode()
    token = path_of(founded.admin_link).split("/")[3]
    tampered = client.get(
        reverse("staff:join", args=[token[:-1] + ("A" if token[-1] != "A" else "B")])
    )
    assert tampered.status_code == 410 and "not valid" in tampered.content.decode()
    # Another link, then time passes beyond 72 hours.
    admin = StaffUser.objects.get(username="amina")
    sign_in_with(client, admin, joined.backup_codes[0])
    link = _invite(client, "Dara", "caseworker")
    Invitation.objects.filter(display_name="Dara").update(
        expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    expired = Client().get(path_of(link))
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    posted = Client().post(path_of(link), {"username": "dara", "password": NEW_PASSWORD})
    assert posted.status_code == 410
    assert StaffUser.objects.count() == users
    reasons = {e.detail.get("reason") for e in _events("invitation_refused")}
    assert {"used", "unknown", "expired"} <= reasons
    # Withdrawn by the admin.
    link = _invite(client, "Eli", "caseworker")
    invitation = Invitation.objects.get(display_name="Eli")
    client.post(reverse("staff:organisation_withdraw_invitation", args=[invitation.pk]))
    assert "withdrawn" in Client().get(path_of(link)).content.decode()


def test_guessed_links_fill_no_table(client):
    for n in range(5):
        assert client.get(reverse("staff:join", args=[f"guess{n}"])).status_code == 410
    refused = _events("invitation_refused")
    assert len(refused) == 1 and refused[0].detail["count"] == 5


# -- step 3: deactivation ---------------------------------------------------------------


def test_deactivating_ends_the_open_session_at_once_and_revokes_the_key(client):
    _founded, _, _ = _admin(client)
    link = _invite(client, "Bea Nowak", "caseworker")
    worker = Client()
    joined = join(worker, link, username="bea")
    bea = StaffUser.objects.get(username="bea")
    sign_in_with(worker, bea, joined.backup_codes[0])
    assert worker.get(reverse("staff:inbox")).status_code == 200
    response = client.post(reverse("staff:organisation_deactivate", args=[bea.pk]))
    assert response.status_code == 302
    # Her open session stops working on its next request.
    refused = worker.get(reverse("staff:inbox"))
    assert refused.status_code == 302 and refused.url.startswith(reverse("staff:login"))
    assert not OrganisationGrant.objects.filter(staff=bea).exists()
    assert sign_in_with(Client(), bea, joined.backup_codes[1]).status_code == 400
    assert _events("staff_deactivated")[0].detail == {"username": "bea", "key_revoked": True}


def test_an_admin_cannot_deactivate_herself_or_another_organisations_staff(client, personas):
    _, admin, _ = _admin(client)
    refused = client.post(reverse("staff:organisation_deactivate", args=[admin.pk]), follow=True)
    assert refused.redirect_chain == [(reverse("staff:organisation"), 302)]
    page = refused.content.decode()
    assert "Only an admin of this organisation can deactivate a colleague." in page
    assert "is deactivated" not in page
    admin.refresh_from_db()
    assert admin.is_active
    other = personas.caseworker
    assert client.post(reverse("staff:organisation_deactivate", args=[other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.is_active


# -- step 4: two-admin resets --------------------------------------------------------------


def test_a_reset_needs_a_second_admin_and_keeps_reports_readable(client):
    founded, _amina, _ = _admin(client)
    report, _ = submit(None, org=founded.organisation, text="canary-after-reset")
    second_link = _invite(client, "Farah", "org_admin")
    worker_link = _invite(client, "Bea Nowak", "caseworker")
    farah_client, bea_client = Client(), Client()
    farah_joined = join(farah_client, second_link, username="farah")
    bea_joined = join(bea_client, worker_link, username="bea")
    farah = StaffUser.objects.get(username="farah")
    bea = StaffUser.objects.get(username="bea")
    sign_in_with(farah_client, farah, farah_joined.backup_codes[0])
    sign_in_with(bea_client, bea, bea_joined.backup_codes[0])

    client.post(reverse("staff:organisation_reset", args=[bea.pk]), {"reason": "authenticator"})
    reset = bea.resets.get()
    # Amina asked: she cannot approve it herself.
    refused = client.post(reverse("staff:organisation_approve_reset", args=[reset.pk]), follow=True)
    assert "A second admin must approve this reset" in refused.content.decode()
    reset.refresh_from_db()
    assert reset.approved_at is None
    assert _events("staff_reset_refused")[0].detail == {"reason": "same_admin"}
    assert bea_client.get(reverse("staff:inbox")).status_code == 200  # nothing changed

    approved = farah_client.post(reverse("staff:organisation_approve_reset", args=[reset.pk]))
    assert approved.status_code == 200
    page = approved.content.decode()
    start = page.index('value="', page.index('id="invitation-link"')) + len('value="')
    link = page[start : page.index('"', start)]
    # Her old session, password, authenticator and key grant end.
    assert bea_client.get(reverse("staff:inbox")).status_code == 302
    assert sign_in_with(Client(), bea, bea_joined.backup_codes[1]).status_code == 400
    assert not OrganisationGrant.objects.filter(staff=bea).exists()
    # Counted in the public log: the organisation and a count, nothing else.
    entry = LogEntry.objects.get(kind="staff_reset_approved")
    assert b'"org":"harbour-womens-aid"' in bytes(entry.data) and b'"count":1' in bytes(entry.data)
    assert b"bea" not in bytes(entry.data)

    # She re-enrols through the fresh link (no username to choose) and reads the report.
    old_public_key = bytes(bea.key.public_key)
    rejoined = join(Client(), link, username=None, password="a brand new passphrase 9")
    assert rejoined.response.status_code == 200  # type: ignore[attr-defined]
    bea.refresh_from_db()
    assert bytes(bea.key.public_key) != old_public_key  # the staff key was made anew
    again = Client()
    assert (
        sign_in_with(again, bea, rejoined.backup_codes[0], "a brand new passphrase 9").status_code
        == 302
    )
    assert (
        "canary-after-reset"
        in again.get(reverse("staff:case", args=[report.public_id])).content.decode()
    )


def test_the_person_reset_cannot_approve_her_own_reset(client):
    _founded, amina, _amina_joined = _admin(client)
    second = _invite(client, "Farah", "org_admin")
    farah_client = Client()
    farah_joined = join(farah_client, second, username="farah")
    farah = StaffUser.objects.get(username="farah")
    sign_in_with(farah_client, farah, farah_joined.backup_codes[0])
    farah_client.post(reverse("staff:organisation_reset", args=[amina.pk]), {"reason": "password"})
    reset = amina.resets.get()
    response = client.post(
        reverse("staff:organisation_approve_reset", args=[reset.pk]), follow=True
    )
    assert "A second admin must approve this reset" in response.content.decode()
    reset.refresh_from_db()
    assert reset.approved_at is None


# -- step 5: recovery -----------------------------------------------------------------------


def test_an_organisation_without_admins_recovers_with_its_secret(client, monkeypatch):
    founded, amina, _ = _admin(client)
    report, _ = submit(None, org=founded.organisation, text="canary-recovered")
    # Every admin is gone (deactivated as by the operator's database console).
    StaffUser.objects.filter(pk=amina.pk).update(is_active=False)
    OrganisationGrant.objects.filter(staff=amina).delete()

    monkeypatch.setattr("sys.stdin", io.StringIO("not-the-secret\n"))
    with pytest.raises(CommandError, match="not this organisation's recovery secret"):
        call_command("organisation", "recover", founded.organisation.slug, stdout=io.StringIO())
    assert AuditEvent.objects.filter(kind="organisation_recovered", detail__refused=True).exists()

    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(founded.recovery_secret.upper() + "\n"))
    call_command(
        "organisation", "recover", founded.organisation.slug, "--admin-name", "Gita", stdout=out
    )
    link = next(w for w in out.getvalue().split() if "/staff/join/" in w)
    fresh = Client()
    joined = join(fresh, link, username="gita")
    gita = StaffUser.objects.get(username="gita")
    assert gita.staff_role == "org_admin"
    sign_in_with(fresh, gita, joined.backup_codes[0])
    assert (
        "canary-recovered"
        in fresh.get(reverse("staff:case", args=[report.public_id])).content.decode()
    )


def test_a_reset_of_someone_deactivated_meanwhile_is_not_approved(client):
    _admin(client)
    second = _invite(client, "Farah", "org_admin")
    worker = _invite(client, "Bea Nowak", "caseworker")
    farah_client = Client()
    farah_joined = join(farah_client, second, username="farah")
    join(Client(), worker, username="bea")
    bea = StaffUser.objects.get(username="bea")
    client.post(reverse("staff:organisation_reset", args=[bea.pk]), {"reason": "password"})
    client.post(reverse("staff:organisation_deactivate", args=[bea.pk]))
    sign_in_with(
        farah_client, StaffUser.objects.get(username="farah"), farah_joined.backup_codes[0]
    )
    reset = bea.resets.get()
    response = farah_client.post(
        reverse("staff:organisation_approve_reset", args=[reset.pk]), follow=True
    )
    assert "is deactivated: there is nothing to reset" in response.content.decode()
    reset.refresh_from_db()
    assert reset.approved_at is None
    assert not LogEntry.objects.filter(kind="staff_reset_approved").exists()


# -- step 6: the platform operator's page -------------------------------------------------


def test_the_operator_lists_organisations_without_case_data_and_creates_one(client, monkeypatch):
    founded = found()
    submit(None, org=founded.organisation, text="canary-operator-must-not-see")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("operator passphrase 2026\n"))
    call_command("operator", "olu", stdout=out)
    codes = out.getvalue().split("Backup codes (shown once): ")[1].split()
    olu = StaffUser.objects.get(username="olu")
    response = sign_in_with(client, olu, codes[0], "operator passphrase 2026")
    assert response.status_code == 302
    assert client.get(reverse("staff:home")).url == reverse("staff:operator")
    page = client.get(reverse("staff:operator")).content.decode()
    assert "Harbour Women&#x27;s Aid" in page and "canary-operator" not in page
    for refused in ("staff:inbox", "staff:organisation", "staff:password"):
        assert client.get(reverse(refused)).status_code == 403
    created = client.post(
        reverse("staff:operator"),
        {"name": "Lantern Project", "kind": "support_org", "areas": "Hull", "admin_name": "Kai"},
    )
    assert created.status_code == 200
    text = created.content.decode()
    secret = text.split('<code id="recovery-secret">')[1].split("<")[0]
    start = text.index('value="', text.index('id="invitation-link"')) + len('value="')
    link = text[start : text.index('"', start)]
    lantern = Organisation.objects.get(name="Lantern Project")
    row = OrganisationKey.objects.get(organisation=lantern)
    keys.vault().recover_organisation(
        keys.org_id(lantern), bytes(row.public_key), bytes(row.recovery_wrap), secret
    )
    joined = join(Client(), link, username="kai")
    assert joined.response.status_code == 200  # type: ignore[attr-defined]
    assert StaffUser.objects.get(username="kai").organisation == lantern
    refused = client.post(reverse("staff:operator"), {"name": "Lantern Project", "kind": "x"})
    assert refused.status_code == 400


def test_an_organisation_admin_is_refused_the_operator_page(client):
    _admin(client)
    assert client.get(reverse("staff:operator")).status_code == 403
