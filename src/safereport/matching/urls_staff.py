"""Coordinated support on a match, under /staff/matching/."""

from __future__ import annotations

from django.urls import path

from safereport.matching import views_staff as views

urlpatterns = [
    path("<str:public_id>/ask/", views.ask_reporter, name="match_ask"),
    path("<str:public_id>/share/<int:side_id>/", views.share_reference, name="match_share"),
]
