from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path
from django.utils import translation


def root(request: HttpRequest) -> HttpResponse:
    """Send a visitor to the public pages in the language their browser asks for."""
    language = translation.get_language_from_request(request, check_path=False)
    with translation.override(language):
        return redirect("public:home")


urlpatterns = [
    path("", root, name="root"),
    path("staff/", include("safereport.urls_staff")),
    path("transparency/", include("safereport.transparency.urls_api")),
    *i18n_patterns(path("", include("safereport.urls_public")), prefix_default_language=True),
]

handler500 = "safereport.errors.server_error"
