"""Risk assessments, under /staff/risk/."""

from __future__ import annotations

from django.urls import path

from safereport.assessments import views

urlpatterns = [
    path("<str:public_id>/", views.risk, name="risk"),
    path("<str:public_id>/new/", views.risk_new, name="risk_new"),
    path("<str:public_id>/<int:sequence>/", views.risk_record, name="risk_record"),
    path("<str:public_id>/exploitation/", views.risk_exploitation, name="risk_exploitation"),
]
