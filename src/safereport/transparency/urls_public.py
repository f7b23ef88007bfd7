"""The human-readable transparency pages, under /<lang>/transparency/."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
