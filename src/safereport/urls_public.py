"""Public URL tree: every path starts with a language code (/en/, /es/, ...).

Each app owns its own URL module; this file only mounts them.
"""

from __future__ import annotations

from django.urls import include, path

app_name = "public"
urlpatterns = [
    path("", include("safereport.intake.urls")),
    path("survey/", include("safereport.survey.urls_public")),
    path("transparency/", include("safereport.transparency.urls_public")),
    path("outreach/", include("safereport.outreach.urls")),
]
