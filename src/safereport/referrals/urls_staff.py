"""Referrals and the service directory, under /staff/referrals/."""

from __future__ import annotations

from django.urls import path

from safereport.referrals import views

urlpatterns = [
    path("", views.referral_list, name="referrals"),
    path("directory/", views.directory, name="directory"),
    path("directory/entry/", views.directory_entry, name="directory_entry"),
    path("new/<str:public_id>/", views.referral_new, name="referral_new"),
    path("<int:referral_id>/", views.referral_detail, name="referral"),
    path("<int:referral_id>/legal-tasks/", views.legal_task_new, name="referral_legal_task"),
    path(
        "<int:referral_id>/legal-tasks/<int:task_id>/done/",
        views.legal_task_done,
        name="referral_legal_task_done",
    ),
]
