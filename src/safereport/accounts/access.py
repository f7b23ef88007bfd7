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
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from safereport.accounts.actions import ActionRefused
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


def run_action[T](
    action: Callable[[], T],
    page: Callable[..., HttpResponse],
    *,
    form: Form | None = None,
    refused_status: int = 409,
) -> T | HttpResponse:
    """A staff page's POST: check ``form`` (when there is one), then run
    ``action`` and return what it returns. Otherwise the page again: ``page(status=400)``
    for an invalid form, ``page(status=refused_status, error=<the refusal in the
    active language>)`` for a refused action. (``page`` is usually a
    ``functools.partial`` of the page's render function that carries the form.)"""
    if form is not None and not form.is_valid():
        return page(status=400)
    try:
        return action()
    except ActionRefused as refused:
        return page(status=refused_status, error=refused.translated())


def form_page[T](
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    form: Form,
    action: Callable[[], T],
) -> T | HttpResponse:
    """A page with one form: a GET shows it; a POST checks the form and runs
    ``action`` (``run_action``), returning what it returns. An invalid form or a
    refused action shows the page again with status 400, the refusal as ``error``."""

    def page(*, status: int = 200, error: str | None = None) -> HttpResponse:
        shown = context | {"form": form, "error": error}
        return render(request, template, shown, status=status)

    if request.method != "POST":
        return page()
    return run_action(action, page, form=form, refused_status=400)
