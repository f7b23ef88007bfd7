"""Public survey pages, under /<lang>/survey/."""

from __future__ import annotations

from django.urls import path

from safereport.survey import views_public

urlpatterns = [
    path("", views_public.intro, name="survey"),
    path("about-you/<slug:slug>/", views_public.question, name="survey_question"),
    path("choice/<int:number>/", views_public.task, name="survey_task"),
    path("thank-you/", views_public.thanks, name="survey_thanks"),
]
