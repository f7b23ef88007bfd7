"""Public outreach URLs, under the language prefix: /<lang>/outreach/..."""

from __future__ import annotations

from django.urls import path

from safereport.outreach import views

urlpatterns = [
    path("", views.outreach, name="outreach"),
    path("<slug:slug>/<str:file>", views.material, name="outreach_material"),
]
