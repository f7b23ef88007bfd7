"""Staff URL tree, under /staff/. Its session cookie is scoped to this path.

Each app owns its own staff URL module; this file only mounts them. Every
view in the tree must wear `staff_page(...)` except those named in
OPEN_BEFORE_LOGIN; tests/accounts/test_staff_access.py walks the whole tree.
"""

from __future__ import annotations

from django.urls import include, path

from safereport.accounts import views as accounts
from safereport.accounts import views_lifecycle as lifecycle
from safereport.outreach import views as outreach
from safereport.staffhome import views as waiting

app_name = "staff"
urlpatterns = [
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("", waiting.home, name="home"),
    path("password/", accounts.change_password, name="password"),
    path("waiting/", waiting.waiting, name="waiting"),
    path("settings/", waiting.settings_page, name="settings"),
    path("organisation/", accounts.organisation, name="organisation"),
    path("organisation/grant/<int:staff_id>/", accounts.grant_key, name="organisation_grant_key"),
    path("organisation/retention/", accounts.set_retention, name="organisation_retention"),
    path("organisation/outreach/", outreach.staff_outreach, name="organisation_outreach"),
    path("organisation/invite/", lifecycle.invite, name="organisation_invite"),
    path(
        "organisation/invitations/<int:invitation_id>/withdraw/",
        lifecycle.withdraw_invitation,
        name="organisation_withdraw_invitation",
    ),
    path(
        "organisation/staff/<int:staff_id>/deactivate/",
        lifecycle.deactivate,
        name="organisation_deactivate",
    ),
    path(
        "organisation/staff/<int:staff_id>/reset/",
        lifecycle.request_reset,
        name="organisation_reset",
    ),
    path(
        "organisation/resets/<int:reset_id>/approve/",
        lifecycle.approve,
        name="organisation_approve_reset",
    ),
    path("join/<str:token>/", lifecycle.join, name="join"),
    path("operator/", lifecycle.operator, name="operator"),
    path("police/", include("safereport.liaison.urls_staff")),
    path("referrals/", include("safereport.referrals.urls_staff")),
    path("risk/", include("safereport.assessments.urls_staff")),
    path("cases/", include("safereport.cases.urls_staff")),
    path("analysis/", include("safereport.survey.urls_staff")),
    path("disclosures/", include("safereport.disclosures.urls_staff")),
    path("matching/", include("safereport.matching.urls_staff")),
]

# Pages that are open before sign-in; every other staff URL must refuse outsiders.
OPEN_BEFORE_LOGIN = frozenset({"login", "logout", "join"})
