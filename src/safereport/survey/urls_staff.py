from __future__ import annotations

from django.urls import path

from safereport.survey import views

urlpatterns = [
    path("", views.analysis, name="analysis"),
]
