"""Authorised reads of organisations and staff."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from safereport.accounts import permissions
from safereport.accounts.models import (
    AuditEvent,
    Invitation,
    Organisation,
    OrganisationGrant,
    SignInReset,
    StaffUser,
)
from safereport.core.events import EventKind


def colleagues_of(user: StaffUser) -> QuerySet[StaffUser]:
    """The staff of the user's own organisation, and nobody else's."""
    return StaffUser.objects.filter(organisation_id=user.organisation_id).order_by("display_name")


def failed_jobs_for(admin: StaffUser) -> QuerySet[AuditEvent]:
    """Queued tasks that failed for good, as an organisation admin sees them: those
    that worked for the admin's organisation and those of the service itself (no
    organisation, such as signing tree heads), newest first. The caller has
    checked that ``admin`` is an organisation admin (``staff_page``)."""
    return AuditEvent.objects.filter(kind=EventKind.JOB_FAILED.value).filter(
        Q(organisation_id=admin.organisation_id) | Q(organisation__isnull=True)
    )[:20]


def admins_of(organisation: Organisation | None) -> list[StaffUser]:
    """The organisation's admins who may work now (``permissions.is_org_admin``)."""
    if organisation is None:
        return []
    staff = StaffUser.objects.filter(organisation=organisation, is_active=True)
    return [
        person
        for person in staff.select_related("organisation")
        if permissions.is_org_admin(person)
    ]


def staff_of(organisation_id: int | None, may: Callable[[StaffUser], bool]) -> list[StaffUser]:
    """The active staff of an organisation of whom ``may`` (a predicate of
    ``accounts.permissions``, or a function of one) holds: whom an alert goes to."""
    if organisation_id is None:
        return []
    staff = StaffUser.objects.filter(organisation_id=organisation_id, is_active=True)
    return [person for person in staff.select_related("organisation") if may(person)]


def organisations_with_readers() -> QuerySet[Organisation]:
    """Organisations that can read a report sent to them now: they have a key,
    and at least one active caseworker or admin holds it (an
    ``OrganisationGrant``). Routing offers reporters only these, so that no
    report is sent where nobody can open it."""
    holders = OrganisationGrant.objects.filter(
        organisation_id=OuterRef("pk"),
        staff__organisation_id=OuterRef("pk"),
        staff__is_active=True,
        staff__role__in=permissions.case_role_values(),
    )
    return Organisation.objects.filter(key__isnull=False).filter(Exists(holders))


def open_invitations_of(admin: StaffUser) -> QuerySet[Invitation]:
    """Invitations of the admin's organisation not yet used or withdrawn (expired
    ones included, so the admin sees that they lapsed)."""
    return Invitation.objects.filter(
        organisation_id=admin.organisation_id, used_at__isnull=True, withdrawn_at__isnull=True
    ).select_related("created_by")


def waiting_resets_of(admin: StaffUser) -> QuerySet[SignInReset]:
    """Sign-in resets of the admin's organisation waiting for a second admin."""
    return SignInReset.objects.filter(
        organisation_id=admin.organisation_id, approved_at__isnull=True
    ).select_related("staff", "requested_by")


def organisations_for_operator() -> QuerySet[Organisation]:
    """Every organisation with its count of active staff: what the platform operator
    sees (``permissions.is_platform_operator``), never anything about reports."""
    return Organisation.objects.annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True))
    ).order_by("name")
