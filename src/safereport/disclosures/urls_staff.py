"""The firewall's staff pages, under /staff/disclosures/."""

from __future__ import annotations

from django.urls import path

from safereport.disclosures import transfer_views, views

urlpatterns = [
    path("reports/<slug:public_id>/", views.report_disclosures, name="disclosure_report"),
    path("reports/<slug:public_id>/share/", views.share, name="disclosure_share"),
    path("reports/<slug:public_id>/consent/", views.record_consent, name="disclosure_consent"),
    path(
        "reports/<slug:public_id>/consents/<int:consent_id>/withdraw/",
        views.withdraw_consent,
        name="disclosure_withdraw_consent",
    ),
    path(
        "reports/<slug:public_id>/override/",
        views.request_override,
        name="disclosure_request_override",
    ),
    # transfer of custody (issue 13, item 3)
    path(
        "reports/<slug:public_id>/transfer/",
        transfer_views.transfer_report,
        name="disclosure_transfer_report",
    ),
    path(
        "transfers/<int:transfer_id>/", transfer_views.transfer_detail, name="disclosure_transfer"
    ),
    path(
        "transfers/<int:transfer_id>/cancel/",
        transfer_views.transfer_cancel,
        name="disclosure_transfer_cancel",
    ),
    path(
        "transfers/<int:transfer_id>/consent/",
        transfer_views.transfer_spoken_consent,
        name="disclosure_transfer_consent",
    ),
    path(
        "transfers/<int:transfer_id>/override/",
        transfer_views.transfer_override,
        name="disclosure_transfer_override",
    ),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="disclosure_attempt"),
    path("overrides/", views.overrides_waiting, name="disclosure_overrides"),
    path("overrides/<int:override_id>/", views.override_detail, name="disclosure_override"),
    path("immigration-requests/", views.immigration_request, name="disclosure_immigration"),
    path(
        "immigration-requests/<int:request_id>/",
        views.immigration_refused,
        name="disclosure_immigration_refused",
    ),
    path("packages/", views.packages, name="disclosure_packages"),
    path("packages/<slug:package_id>/", views.package_detail, name="disclosure_package"),
    path(
        "packages/<slug:package_id>/files/<int:number>/",
        views.package_file,
        name="disclosure_package_file",
    ),
    path(
        "packages/<slug:package_id>/<slug:section>/",
        views.package_detail,
        name="disclosure_package_section",
    ),
]
