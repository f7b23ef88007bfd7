"""Authorised reads of referrals and the service directory.

A referral is visible to two organisations only: the one that sent it (its
caseworkers and admins) and the service that received it (its service
staff, caseworkers and admins). Everyone else is refused exactly as if the
referral did not exist.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import get_language_info, gettext

from safereport.accounts import keys, permissions
from safereport.accounts.access import first_or_404
from safereport.accounts.models import Organisation, StaffUser
from safereport.core.crypto import (
    CryptoError,
    UnlockedOrganisation,
    UnlockedPackage,
)
from safereport.core.crypto import DisclosurePackage as SealedPackage
from safereport.core.crypto import UnlockedReport as UnlockedKey
from safereport.core.referrals import (
    RECIPIENT_ORG_KIND,
    ROUTE_GUIDANCE,
    ActorSide,
    LegalRoute,
    ReferralKind,
)
from safereport.core.vocabulary import OrgKind
from safereport.referrals.models import LegalTask, Referral, SealedText

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


def referrals_for(actor: StaffUser) -> QuerySet[Referral]:
    """Referrals the actor's organisation sent (case roles) or received."""
    if not permissions.may_use_referrals(actor):
        return Referral.objects.none()
    query = Q(pk__in=[])
    if permissions.may_receive_referrals(actor):
        query |= Q(service_id=actor.organisation_id)
    if permissions.may_send_referrals(actor):
        query |= Q(sender_id=actor.organisation_id)
    return Referral.objects.filter(query).select_related(
        "report", "sender", "service", "package", "created_by"
    )


def access_referral(actor: StaffUser, referral_id: int) -> Referral:
    """The referral, if the actor's organisation sent or received it; else 404."""
    return first_or_404(referrals_for(actor).filter(pk=referral_id), "referral")


def referrals_of_report(report_id: int) -> QuerySet[Referral]:
    """For the report's own pages (already authorised by their callers)."""
    return (
        Referral.objects.filter(report_id=report_id)
        .select_related("service", "package")
        .prefetch_related("events", "legal_tasks")
    )


# -- sealed texts -----------------------------------------------------------------


def open_for_service(
    referral: Referral, organisation: UnlockedOrganisation
) -> UnlockedPackage | None:
    """The referral's disclosure package key, opened by the receiving service
    (texts for the service are sealed to it with ``seal_package_message``)."""
    package = referral.package
    if package.recipient_id != referral.service_id:
        return None
    sealed = SealedPackage(
        package_id=package.package_id,
        report_id=referral.report.public_id,
        recipient_org_id=keys.org_id(referral.service),
        public_key=bytes(package.public_key),
        recipient_wrap=None if package.recipient_wrap is None else bytes(package.recipient_wrap),
        sections={},
    )
    try:
        return keys.vault().open_disclosure_package(sealed, organisation)
    except CryptoError:
        return None


def report_message_id(note_id: str) -> str:
    return f"referral-note:{note_id}"


@dataclass(frozen=True)
class TaskDetails:
    """What a legal task holds, sealed as one JSON document: the route and its
    dates can reveal a person's immigration situation, so none is in clear."""

    route: LegalRoute
    anchor_on: dt.date
    due_on: dt.date
    hard_limit: dt.date | None
    note: str = ""

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "route": self.route.value,
                "anchor_on": self.anchor_on.isoformat(),
                "due_on": self.due_on.isoformat(),
                "hard_limit": self.hard_limit.isoformat() if self.hard_limit else None,
                "note": self.note,
            },
            sort_keys=True,
        ).encode("utf-8")

    @classmethod
    def from_json(cls, text: str) -> TaskDetails:
        data = json.loads(text)
        limit = data.get("hard_limit")
        return cls(
            route=LegalRoute(data["route"]),
            anchor_on=dt.date.fromisoformat(data["anchor_on"]),
            due_on=dt.date.fromisoformat(data["due_on"]),
            hard_limit=dt.date.fromisoformat(limit) if limit else None,
            note=str(data.get("note") or ""),
        )


@dataclass
class TextReader:
    """Opens sealed referral texts with whichever key the reader holds."""

    report_key: UnlockedKey | None = None
    service_key: UnlockedPackage | None = None

    def task(self, task: LegalTask) -> TaskDetails | None:
        """A legal task's route, dates and note, or None when this reader's key is locked."""
        text = self.read(task)
        if text is None:
            return None
        try:
            return TaskDetails.from_json(text)
        except (ValueError, KeyError, TypeError):
            return None

    def tasks(self, tasks: Iterable[LegalTask]) -> list[tuple[LegalTask, TaskDetails | None]]:
        """Each task with its details, soonest deadline first (unreadable ones last)."""
        rows = [(t, self.task(t)) for t in tasks]
        rows.sort(key=lambda row: (row[1] is None, row[1].due_on if row[1] else dt.date.min))
        return rows

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
    opens the referral's disclosure package."""
    if organisation is None:
        return TextReader()
    side = permissions.referral_side(actor, referral)
    if side is ActorSide.SENDING_ORGANISATION:
        from safereport.disclosures.selectors import open_report

        return TextReader(report_key=open_report(referral.report, actor, organisation))
    if side is ActorSide.RECEIVING_SERVICE:
        return TextReader(service_key=open_for_service(referral, organisation))
    return TextReader()


def texts(reader: TextReader, items: Iterable[SealedText]) -> dict[int, str | None]:
    return {item.pk: reader.read(item) for item in items}


def task_rows(reader: TextReader, tasks: Iterable[LegalTask]) -> list[dict[str, object]]:
    """Legal tasks as a page shows them, soonest deadline first; ``sealed``
    when this reader's key cannot open them."""
    rows: list[dict[str, object]] = []
    for task, details in reader.tasks(tasks):
        if details is None:
            rows.append({"task": task, "sealed": True, "title": gettext("this task")})
            continue
        rows.append(
            {
                "task": task,
                "sealed": False,
                "title": gettext(ROUTE_GUIDANCE[details.route].title),
                "due_on": details.due_on,
                "hard_limit": details.hard_limit,
                "note": details.note,
            }
        )
    return rows


def deadlines_soon_for(actor: StaffUser, today: dt.date) -> list[LegalTask]:
    """Open legal tasks of referrals the actor acts on whose first reminder date
    (7 days before the deadline) has come: the staff home's list."""
    mine = Q(referral__service_id=actor.organisation_id) | Q(
        referral__sender_id=actor.organisation_id
    )
    tasks = (
        LegalTask.objects.filter(done_at=None, remind_week_on__lte=today)
        .filter(mine)
        .select_related("referral")
    )
    return [task for task in tasks if permissions.may_act_on_referral(actor, task.referral)]
