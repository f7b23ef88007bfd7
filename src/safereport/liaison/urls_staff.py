"""Police liaison, under /staff/police/."""

from __future__ import annotations

from django.urls import path

from safereport.liaison import views

urlpatterns = [
    path("", views.handover_list, name="police"),
    path("new/<str:public_id>/", views.send_to_police, name="police_new"),
    path("<int:handover_id>/", views.handover_detail, name="police_handover"),
    path("<int:handover_id>/summary/", views.handover_summary, name="police_summary"),
    path("<int:handover_id>/acknowledge/", views.acknowledge, name="police_acknowledge"),
    path(
        "<int:handover_id>/crime-reference/", views.crime_reference, name="police_crime_reference"
    ),
    path("<int:handover_id>/question/", views.ask_question, name="police_question"),
    path("<int:handover_id>/update/", views.post_update, name="police_update"),
    path(
        "<int:handover_id>/questions/<int:question_id>/answer/",
        views.answer_question,
        name="police_answer",
    ),
]
