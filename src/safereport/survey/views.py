"""The analyst's pages: aggregates only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safereport.accounts.access import staff_page
from safereport.core.vocabulary import Role


@staff_page(Role.ANALYST)
def analysis(request: HttpRequest) -> HttpResponse:
    return render(request, "survey/analysis.html", {})
