"""The machine-readable transparency endpoints, under /transparency/ (no language prefix)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from safereport.transparency import views_api

app_name = "transparency_api"
urlpatterns: list[URLPattern] = [
    path("key", views_api.key, name="key"),
    path("sth", views_api.sth, name="sth"),
    path("sths", views_api.sths, name="sths"),
    path("entries", views_api.entries, name="entries"),
    path("proof/inclusion", views_api.inclusion, name="inclusion"),
    path("proof/consistency", views_api.consistency, name="consistency"),
    re_path(r"^charts/(?P<key>[0-9a-f]{64})\.png$", views_api.chart, name="chart"),
]
