"""Who may open a staff page.

Every staff view is wrapped in `staff_page(...)`: the account must be signed
in with its second factor, belong to an organisation that may hold staff,
and hold one of the roles the page is for. Anything else is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from safereport.core.vocabulary import Role

View = Callable[..., HttpResponse]


def staff_page(*roles: Role) -> Callable[[View], View]:
    if not roles:
        raise ValueError("staff_page needs at least one role: no page is open to everyone.")
    allowed = frozenset(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_verified():  # type: ignore[union-attr]
                return redirect_to_login(request.get_full_path())
            if not user.may_work or user.staff_role not in allowed:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.staff_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorate


ALL_ROLES = tuple(Role)
