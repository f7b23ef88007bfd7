"""The reporter's pages, under /<lang>/."""

from __future__ import annotations

from django.urls import path

from safereport.intake import views

urlpatterns = [
    path("", views.home, name="home"),
    path("your-rights/", views.rights, name="rights"),
    path("report/", views.report_start, name="report_start"),
    path("report/review/", views.report_review, name="report_review"),
    path("report/submit/", views.report_submit, name="report_submit"),
    path("report/discard/", views.report_discard, name="report_discard"),
    path("report/<slug:slug>/", views.report_step, name="report_step"),
    path("return/", views.return_start, name="return_start"),
    path("return/report/", views.return_report, name="return_report"),
    path("return/report/message/", views.return_message, name="return_message"),
    path("return/report/add/", views.return_add, name="return_add"),
    path("return/report/withdraw/", views.return_withdraw, name="return_withdraw"),
    path("return/report/delete/", views.return_delete, name="return_delete"),
    path("return/close/", views.return_close, name="return_close"),
]
