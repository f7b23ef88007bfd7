"""Authorised reads of referrals and the service directory.

A referral is visible to two organisations only: the one that sent it (its
caseworkers and admins) and the service that received it (its service
staff, caseworkers and admins). Everyone else is refused exactly as if the
referral did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language_info

from safereport.accounts import keys
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.crypto import CryptoError, ReportKeyring, UnlockedOrganisation
from safereport.core.crypto import UnlockedReport as UnlockedKey
from safereport.core.referrals import RECIPIENT_ORG_KIND, ActorSide, ReferralKind, side_of
from safereport.core.vocabulary import OrgKind, Role
from safereport.referrals.models import Referral, SealedText

SENDING_ROLES = frozenset({Role.CASEWORKER, Role.ORG_ADMIN})
RECEIVING_ROLES = frozenset({Role.SERVICE_STAFF, Role.CASEWORKER, Role.ORG_ADMIN})

# -- the directory --------------------------------------------------------------


def kinds_for(org_kind: OrgKind) -> list[ReferralKind]:
    """The referral kinds an organisation of ``org_kind`` may take.

    The core names the organisation kind each referral kind goes to
    (``RECIPIENT_ORG_KIND``). One addition: a labour-rights organisation may
    also be a modern-slavery first responder (first responders include
    NGOs working on labour exploitation). An immigration authority, police
    force, support organisation or oversight body takes none."""
    kinds = [k for k in ReferralKind if RECIPIENT_ORG_KIND[k] is org_kind]
    if org_kind is OrgKind.LABOUR_RIGHTS:
        kinds.append(ReferralKind.MODERN_SLAVERY_FIRST_RESPONDER)
    return [k for k in ReferralKind if k in kinds]


RECEIVING_ORG_KINDS = frozenset(k for k in OrgKind if kinds_for(k))


def kinds_of(organisation: Organisation) -> list[ReferralKind]:
    """The kinds this organisation lists that its kind allows (stale values dropped)."""
    allowed = kinds_for(organisation.org_kind)
    listed = set(organisation.referral_kinds or [])
    return [k for k in allowed if k.value in listed]


def directory() -> QuerySet[Organisation]:
    """Organisations that can receive referrals; never an immigration authority."""
    return (
        Organisation.objects.filter(kind__in=[k.value for k in RECEIVING_ORG_KINDS])
        .exclude(kind=OrgKind.IMMIGRATION_AUTHORITY.value)
        .select_related("key")
    )


def language_name(code: str) -> str:
    names = dict(settings.LANGUAGES)
    if code in names:
        return names[code]
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


@dataclass
class DirectoryEntry:
    organisation: Organisation
    kinds: list[ReferralKind]
    languages: list[tuple[str, str]]

    @property
    def can_receive(self) -> bool:
        """It has an encryption key, so a package can be sealed for it."""
        return hasattr(self.organisation, "key")


def search_directory(
    *,
    kind: str = "",
    language: str = "",
    area: str = "",
    text: str = "",
    exclude: Organisation | None = None,
) -> list[DirectoryEntry]:
    """Services that take ``kind`` (if given), speak ``language``, work in
    ``area``, and mention ``text`` in their name, description or specialisms."""
    found = []
    words = text.casefold().split()
    for org in directory():
        if exclude is not None and org.pk == exclude.pk:
            continue
        kinds = kinds_of(org)
        if not kinds:
            continue
        if kind and kind not in {k.value for k in kinds}:
            continue
        if language and language not in org.languages:
            continue
        if area and area.casefold() not in {a.casefold() for a in org.areas}:
            continue
        haystack = " ".join([org.name, org.description, *org.specialisms, *org.areas]).casefold()
        if any(word not in haystack for word in words):
            continue
        found.append(DirectoryEntry(org, kinds, [(c, language_name(c)) for c in org.languages]))
    return found


def directory_languages() -> list[tuple[str, str]]:
    codes: set[str] = set()
    areas: set[str] = set()
    for org in directory():
        if kinds_of(org):
            codes.update(org.languages)
            areas.update(org.areas)
    return sorted(((c, language_name(c)) for c in codes), key=lambda pair: pair[1])


def directory_areas() -> list[str]:
    areas: set[str] = set()
    for org in directory():
        if kinds_of(org):
            areas.update(org.areas)
    return sorted(areas)


def services_for(
    kind: ReferralKind, *, exclude: Organisation | None = None
) -> list[DirectoryEntry]:
    return search_directory(kind=kind.value, exclude=exclude)


# -- referrals ------------------------------------------------------------------


def _works(actor: StaffUser) -> bool:
    return bool(actor.may_work and actor.organisation_id)


def referrals_for(actor: StaffUser) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent (case roles) or received."""
    if not _works(actor):
        return Referral.objects.none()
    role = actor.staff_role
    query = Q(pk__in=[])
    if role in RECEIVING_ROLES:
        query |= Q(service_id=actor.organisation_id)
    if role in SENDING_ROLES:
        query |= Q(sender_id=actor.organisation_id)
    return Referral.objects.filter(query).select_related(
        "report", "sender", "service", "package", "created_by"
    )


def access_referral(actor: StaffUser, referral_id: int) -> Referral:
    """The referral, if the actor's organisation sent or received it; else 404."""
    referral = referrals_for(actor).filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral.")
    return referral


def side_for(actor: StaffUser, referral: Referral) -> ActorSide:
    return side_of(
        actor.organisation_id,
        actor.staff_role,
        sending_org=referral.sender_id,
        receiving_org=referral.service_id,
    )


def referrals_of_report(report_id: int) -> QuerySet[Referral]:
    """For the report's own pages (already authorised by their callers)."""
    return (
        Referral.objects.filter(report_id=report_id)
        .select_related("service", "package")
        .prefetch_related("events", "legal_tasks")
    )


# -- sealed texts -----------------------------------------------------------------


def keyring_of(referral: Referral) -> ReportKeyring:
    """The referral's key pair as the vault sees it: wrapped for the service only."""
    return ReportKeyring(
        report_id=referral.thread_id,
        public_key=bytes(referral.public_key),
        custodian_org_id=keys.org_id(referral.service),
        receipt_lookup_digest=None,
        receipt_wrap=None,
        custodian_wrap=None if referral.service_wrap is None else bytes(referral.service_wrap),
    )


def open_for_service(referral: Referral, organisation: UnlockedOrganisation) -> UnlockedKey | None:
    try:
        return keys.vault().open_report_as_custodian(keyring_of(referral), organisation)
    except CryptoError:
        return None


def report_message_id(note_id: str) -> str:
    return f"referral-note:{note_id}"


@dataclass
class TextReader:
    """Opens sealed referral texts with whichever key the reader holds."""

    report_key: UnlockedKey | None = None
    service_key: UnlockedKey | None = None

    def read(self, item: SealedText) -> str | None:
        """The text, or None when there is none or this reader's key is locked."""
        if not item.note_id:
            return None
        try:
            if self.report_key is not None and item.for_report is not None:
                return self.report_key.open_message(
                    report_message_id(item.note_id), bytes(item.for_report)
                ).decode("utf-8")
            if self.service_key is not None and item.for_service is not None:
                return self.service_key.open_message(
                    report_message_id(item.note_id), bytes(item.for_service)
                ).decode("utf-8")
        except CryptoError:
            return None
        return None


def reader_for(
    actor: StaffUser, referral: Referral, organisation: UnlockedOrganisation | None
) -> TextReader:
    """A reader for the actor's side: the sender opens the report, the service
    opens the referral's own key."""
    if organisation is None:
        return TextReader()
    side = side_for(actor, referral)
    if side is ActorSide.SENDING_ORGANISATION:
        from safereport.disclosures.actions import open_report

        return TextReader(report_key=open_report(referral.report, actor, organisation))
    if side is ActorSide.RECEIVING_SERVICE:
        return TextReader(service_key=open_for_service(referral, organisation))
    return TextReader()


def texts(reader: TextReader, items: Iterable[SealedText]) -> dict[int, str | None]:
    return {item.pk: reader.read(item) for item in items}
