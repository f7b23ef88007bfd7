"""Case work, under /staff/cases/."""

from __future__ import annotations

from django.urls import path

from safereport.cases import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
