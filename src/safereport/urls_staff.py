"""Staff URL tree, under /staff/. Its session cookie is scoped to this path."""

from __future__ import annotations

from django.urls import path

from safereport.accounts import views as accounts
from safereport.cases import views as cases

app_name = "staff"
urlpatterns = [
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("", accounts.home, name="home"),
    path("organisation/", accounts.organisation, name="organisation"),
    path("cases/", cases.inbox, name="inbox"),
    path("police/", accounts.police, name="police"),
    path("referrals/", accounts.referrals, name="referrals"),
    path("analysis/", accounts.analysis, name="analysis"),
]

# Pages that are open before sign-in; every other staff URL must refuse outsiders.
OPEN_BEFORE_LOGIN = frozenset({"login", "logout"})
