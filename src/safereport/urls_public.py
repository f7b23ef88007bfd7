"""Public URL tree: every path starts with a language code (/en/, /es/, ...)."""

from __future__ import annotations

from django.urls import path

from safereport.intake import views as intake

app_name = "public"
urlpatterns = [
    path("", intake.home, name="home"),
    path("your-rights/", intake.rights, name="rights"),
]
