"""Police liaison, under /staff/police/."""

from __future__ import annotations

from django.urls import URLPattern, path

from safereport.liaison import views


def _police_form(segment: str, form_name: str, name: str) -> URLPattern:
    """A police liaison's form on a handover page (``views.police_form``)."""
    return path(
        f"<int:handover_id>/{segment}/", views.police_form, {"form_name": form_name}, name=name
    )


urlpatterns = [
    path("", views.handover_list, name="police"),
    path("new/<str:public_id>/", views.send_to_police, name="police_new"),
    path("<int:handover_id>/", views.handover_detail, name="police_handover"),
    path("<int:handover_id>/summary/", views.handover_summary, name="police_summary"),
    _police_form("acknowledge", "acknowledge_form", "police_acknowledge"),
    _police_form("crime-reference", "reference_form", "police_crime_reference"),
    _police_form("question", "question_form", "police_question"),
    _police_form("update", "update_form", "police_update"),
    path(
        "<int:handover_id>/questions/<int:question_id>/answer/",
        views.answer_question,
        name="police_answer",
    ),
]
