"""The reporter's pages, under /<lang>/."""

from __future__ import annotations

from django.urls import path

from safereport.intake import views

urlpatterns = [
    path("", views.home, name="home"),
    path("your-rights/", views.rights, name="rights"),
]
