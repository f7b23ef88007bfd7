"""The reporter's pages, under /<lang>/."""

from __future__ import annotations

from django.urls import path

from safereport.intake import journey, returning, views
from safereport.intake.naming import return_name

urlpatterns = [
    path("", views.home, name="home"),
    path("your-rights/", views.rights, name="rights"),
    path("report/", journey.report_start, name="report_start"),
    path("report/review/", journey.report_review, name="report_review"),
    path("report/submit/", journey.report_submit, name="report_submit"),
    path("report/discard/", journey.report_discard, name="report_discard"),
    path("report/second-phrase/", journey.report_second_phrase, name="report_second_phrase"),
    path("report/<slug:slug>/", journey.report_step, name="report_step"),
    path("return/", returning.return_start, name="return_start"),
    path("return/report/", returning.return_report, name="return_report"),
    path("return/report/more/", returning.return_more, name="return_more"),
    path("return/report/message/", returning.return_message, name="return_message"),
    path("return/report/add/", returning.return_add, name="return_add"),
    path("return/report/name/", return_name, name="return_name"),
    path("return/report/withdraw/", returning.return_withdraw, name="return_withdraw"),
    path("return/report/transfer/", returning.return_transfer, name="return_transfer"),
    path("return/report/match/", returning.return_match, name="return_match"),
    path("return/report/delete/", returning.return_delete, name="return_delete"),
    path("return/report/keep/", returning.return_keep, name="return_keep"),
    path("return/close/", returning.return_close, name="return_close"),
]
