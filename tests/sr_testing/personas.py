"""The people our tests act as, made by calling the real actions.

- caseworker, org_admin: a support organisation ("Test Support Centre")
- other_caseworker: a second, unrelated support organisation
- police_liaison, service_staff, analyst: their own organisations
- outsider: an account tied to an immigration authority. The actions refuse
  to create one, so it is forged straight into the table, as an attacker
  with database access might; the site must still refuse it everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from safereport.accounts.actions import do_create_organisation, do_create_staff
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.vocabulary import OrgKind, Role

PASSWORD = "a-long-test-passphrase"


@dataclass
class Personas:
    support_org: Organisation
    other_support_org: Organisation
    police_force: Organisation
    specialist_service: Organisation
    oversight: Organisation
    immigration_authority: Organisation
    caseworker: StaffUser
    org_admin: StaffUser
    other_caseworker: StaffUser
    police_liaison: StaffUser
    service_staff: StaffUser
    analyst: StaffUser
    outsider: StaffUser

    def all_staff(self) -> dict[str, StaffUser]:
        return {
            "caseworker": self.caseworker,
            "org_admin": self.org_admin,
            "other_caseworker": self.other_caseworker,
            "police_liaison": self.police_liaison,
            "service_staff": self.service_staff,
            "analyst": self.analyst,
        }


def _org(slug: str, kind: OrgKind) -> Organisation:
    return do_create_organisation(
        name=slug.replace("-", " ").title(), slug=slug, kind=kind, acting_user=None
    )


# Organisation keys unlocked by each organisation's first persona, so that the
# next colleague made in the same run is granted the key (as a signed-in colleague would).
_ORG_KEYS: dict[int, object] = {}


def _staff(org: Organisation, username: str, role: Role) -> StaffUser:
    user, enrolment = do_create_staff(
        organisation=org,
        username=username,
        display_name=username.replace("_", " ").title(),
        role=role,
        password=PASSWORD,
        acting_user=None,
        organisation_key=_ORG_KEYS.get(org.pk),  # type: ignore[arg-type]
    )
    if enrolment.organisation_key is not None:
        _ORG_KEYS[org.pk] = enrolment.organisation_key
    return user


def make_personas() -> Personas:
    _ORG_KEYS.clear()
    support = _org("test-support-centre", OrgKind.SUPPORT_ORG)
    other = _org("other-support-centre", OrgKind.SUPPORT_ORG)
    police = _org("test-police", OrgKind.POLICE_FORCE)
    service = _org("test-da-service", OrgKind.SPECIALIST_SERVICE)
    oversight = _org("test-oversight", OrgKind.OVERSIGHT)
    immigration = _org("test-immigration-enforcement", OrgKind.IMMIGRATION_AUTHORITY)
    outsider = StaffUser(
        username="outsider",
        display_name="Outsider",
        organisation=immigration,
        role=Role.CASEWORKER.value,
    )
    outsider.set_password(PASSWORD)
    outsider.save()
    StaticDevice.objects.create(user=outsider, name="backup", confirmed=True)
    return Personas(
        support_org=support,
        other_support_org=other,
        police_force=police,
        specialist_service=service,
        oversight=oversight,
        immigration_authority=immigration,
        caseworker=_staff(support, "caseworker", Role.CASEWORKER),
        org_admin=_staff(support, "org_admin", Role.ORG_ADMIN),
        other_caseworker=_staff(other, "other_caseworker", Role.CASEWORKER),
        police_liaison=_staff(police, "police_liaison", Role.POLICE_LIAISON),
        service_staff=_staff(service, "service_staff", Role.SERVICE_STAFF),
        analyst=_staff(oversight, "analyst", Role.ANALYST),
        outsider=outsider,
    )


def fresh_backup_code(user: StaffUser) -> str:
    device = StaticDevice.objects.get(user=user, name="backup")
    token = StaticToken.random_token()
    StaticToken.objects.create(device=device, token=token)
    return token


def sign_in(client: Client, user: StaffUser, *, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Sign in through the real login form, with a one-time backup code as second factor."""
    return client.post(
        reverse("staff:login"),
        {"username": user.username, "password": password, "code": fresh_backup_code(user)},
    )


def staff_session(client: Client):  # type: ignore[no-untyped-def]
    """The staff session behind the test client's staff cookie (Client.session reads another)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    cookie = client.cookies.get(settings.STAFF_SESSION_COOKIE_NAME)
    return store(cookie.value if cookie else None)


def forge_staff_session(client: Client, user: StaffUser, device) -> None:  # type: ignore[no-untyped-def]
    """Plant a staff session for `user`, as if it had been stolen or forged.

    With `device` None the session is signed in but its second factor is not verified.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = staff_session(client)
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    client.cookies[settings.STAFF_SESSION_COOKIE_NAME] = session.session_key


# -- reports and unlocked keys, for the firewall's tests (additive) ------------


def submit_report(organisation: Organisation, *, text: str = "He hit me on Friday."):  # type: ignore[no-untyped-def]
    """A report submitted to ``organisation`` through the real submission action,
    with incident, perpetrator and contact sections and one attachment."""
    from safereport.cases.actions import (
        CleanFile,
        NewReport,
        derive_new_receipt,
        do_submit_report,
    )
    from safereport.core.vocabulary import Section

    _, receipt = derive_new_receipt()
    return do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="police_through_organisation",
            custodian=organisation,
            sections={
                Section.INCIDENT: {"when": "Friday", "where": "home", "what": text},
                Section.PERPETRATOR: {"who": "my husband"},
                Section.CONTACT: {"channel": "phone", "safe_times": "mornings"},
            },
            attachments=(CleanFile(data=b"a note", media_type="text/plain; charset=utf-8"),),
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )


def unlocked_organisation_key(user: StaffUser, *, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """The user's organisation key, unlocked as sign-in would unlock it."""
    from safereport.accounts import keys
    from safereport.accounts.models import StaffKey

    staff = keys.vault().unlock_staff(
        keys.staff_id(user), keys.record_of(StaffKey.objects.get(staff=user)), password
    )
    return keys.unlock_organisation_for(user, staff)


# -- referral partners (referrals app; additive) ---------------------------------


@dataclass
class ReferralPartners:
    """More organisations for referral tests, made on demand so that other tests
    keep the personas they had: a legal adviser, a labour-rights organisation,
    and an admin of the personas' specialist service."""

    legal_adviser_org: Organisation
    legal_adviser: StaffUser
    labour_rights_org: Organisation
    labour_rights_staff: StaffUser
    service_admin: StaffUser


def make_referral_partners(personas: Personas) -> ReferralPartners:
    """Call after ``make_personas`` in the same test (the service's key is still at hand)."""
    legal = _org("test-law-centre", OrgKind.LEGAL_ADVISER)
    labour = _org("test-labour-rights", OrgKind.LABOUR_RIGHTS)
    return ReferralPartners(
        legal_adviser_org=legal,
        legal_adviser=_staff(legal, "legal_adviser", Role.SERVICE_STAFF),
        labour_rights_org=labour,
        labour_rights_staff=_staff(labour, "labour_rights_staff", Role.SERVICE_STAFF),
        service_admin=_staff(personas.specialist_service, "service_admin", Role.ORG_ADMIN),
    )
