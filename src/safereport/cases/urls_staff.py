"""Case work, under /staff/cases/."""

from __future__ import annotations

from django.urls import path

from safereport.cases import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.file_for_reporter, name="file_for_reporter"),
    path("access-log/", views.access_log, name="access_log"),
    path("<str:public_id>/", views.case, name="case"),
    path("<str:public_id>/reply/", views.case_reply, name="case_reply"),
    path("<str:public_id>/note/", views.case_note, name="case_note"),
    path("<str:public_id>/status/", views.case_status, name="case_status"),
    path("<str:public_id>/assign/", views.case_assign, name="case_assign"),
    path("<str:public_id>/hold/", views.case_hold, name="case_hold"),
    path("<str:public_id>/contact/", views.case_contact, name="case_contact"),
    path("<str:public_id>/files/<str:item_id>/", views.case_attachment, name="case_attachment"),
]
