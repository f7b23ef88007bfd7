"""Public pages that are neither the journey (journey.py) nor the return pages
(returning.py). They work without JavaScript and never ask about immigration status."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/home.html")


@require_safe
def rights(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/rights.html")
