"""The machine-readable transparency endpoints, under /transparency/ (no language prefix)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
