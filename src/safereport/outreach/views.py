"""Outreach material: a public page that lists it, the files themselves, and
the organisation admin's page with every language.

The files are public (they are made to be handed out) and made on first
request, then kept in memory: at most one PDF for each organisation, language
and format, so no request can make the server render without end."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from safereport.accounts import permissions
from safereport.accounts.access import StaffRequest, staff_page
from safereport.accounts.models import Organisation
from safereport.intake import directory
from safereport.outreach.material import Format, qr_svg

MEDIA_TYPES = {Format.LEAFLET: "application/pdf", Format.CARD: "application/pdf"}


def _reporting_organisation(slug: str) -> Organisation:
    """An organisation reporters can be sent to now; anything else is not found."""
    found = directory.custodians().filter(slug=slug).first()
    if found is None:
        raise Http404("No organisation with outreach material has that name.")
    return found


@lru_cache(maxsize=256)
def _pdf(slug: str, name: str, site: str, language: str, kind: Format) -> bytes:
    # name and site are part of the key: a renamed organisation or a moved
    # site gets new files, not stale ones.
    from safereport.outreach.pdf import render_pdf  # fpdf2: imported on the first PDF

    return render_pdf(_reporting_organisation(slug), language, kind)


@require_safe
def outreach(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/list.html", {"organisations": directory.custodians()})


@require_safe
def material(request: HttpRequest, slug: str, file: str) -> HttpResponse:
    try:
        kind = Format(file)
    except ValueError:
        raise Http404("No such file.") from None
    organisation = _reporting_organisation(slug)
    language = get_language() or settings.LANGUAGE_CODE
    if kind is Format.QR:
        body, media_type = qr_svg(organisation, language), "image/svg+xml"
    else:
        body = _pdf(organisation.slug, organisation.name, settings.SITE_URL, language, kind)
        media_type = MEDIA_TYPES[kind]
    response = HttpResponse(body, content_type=media_type)
    name = f"safereport-{organisation.slug}-{language}-{kind.value}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@staff_page(permissions.is_org_admin)
@require_safe
def staff_outreach(request: StaffRequest) -> HttpResponse:
    organisation = request.user.organisation
    offered = directory.custodians().filter(pk=organisation.pk).exists()
    return render(
        request,
        "outreach/staff.html",
        {
            "organisation": organisation,
            "offered": offered,
            "languages": settings.LANGUAGES,
            "formats": list(Format),
        },
    )
