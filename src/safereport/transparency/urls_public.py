"""The human-readable transparency pages, under /<lang>/transparency/."""

from __future__ import annotations

from django.urls import URLPattern, path

from safereport.transparency import views

urlpatterns: list[URLPattern] = [
    path("", views.page, name="transparency"),
]
