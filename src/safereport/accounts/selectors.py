"""Authorised reads of organisations and staff."""

from __future__ import annotations

from django.db.models import QuerySet

from safereport.accounts.models import StaffUser


def colleagues_of(user: StaffUser) -> QuerySet[StaffUser]:
    """The staff of the user's own organisation, and nobody else's."""
    return StaffUser.objects.filter(organisation_id=user.organisation_id).order_by("display_name")
