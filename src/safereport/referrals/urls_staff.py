"""Referrals and the service directory, under /staff/referrals/."""

from __future__ import annotations

from django.urls import path

from safereport.accounts import views as accounts

urlpatterns = [
    path("", accounts.referrals, name="referrals"),
]
