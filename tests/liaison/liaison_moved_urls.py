"""The staff tree mounted somewhere else: paths must follow the URL conf."""

from django.urls import include, path

urlpatterns = [path("office/", include("safereport.urls_staff"))]
