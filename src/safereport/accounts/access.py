"""Who may open a staff page.

Every staff view is wrapped in `staff_page(permission)`: the account must be
signed in with its second factor and pass ``permission``, a predicate of
``safereport.accounts.permissions`` (the one place roles are compared).
Anything else is refused. The view receives a ``StaffRequest``, whose
``user`` is the ``StaffUser`` the decorator checked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from safereport.accounts.models import StaffUser

View = Callable[..., HttpResponse]
Permission = Callable[[StaffUser], bool]


class StaffRequest(HttpRequest):
    """A request that ``staff_page`` let through: its user is signed-in staff."""

    user: StaffUser


def staff_page(permission: Permission) -> Callable[[View], View]:
    if not callable(permission):
        raise TypeError(
            "staff_page takes a predicate of safereport.accounts.permissions, "
            "e.g. staff_page(permissions.is_case_worker), not a role."
        )

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, StaffUser) or not user.is_verified():
                return redirect_to_login(request.get_full_path())
            if not permission(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def first_or_404[M: Model](objects: QuerySet[M], what: str, *, allowed: bool = True) -> M:
    """The first of ``objects`` if the actor is ``allowed`` to look; else, as
    when there is none, 404 "No such <what>." (the same answer either way)."""
    found = objects.first() if allowed else None
    if found is None:
        raise Http404(f"No such {what}.")
    return found
