"""Police liaison, under /staff/police/."""

from __future__ import annotations

from django.urls import path

from safereport.accounts import views as accounts

urlpatterns = [
    path("", accounts.police, name="police"),
]
