"""The caseworker's side of a report."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safereport.accounts.access import staff_page
from safereport.core.vocabulary import Role


@staff_page(Role.CASEWORKER, Role.ORG_ADMIN)
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/inbox.html", {"reports": []})
