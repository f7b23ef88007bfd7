"""No role is compared anywhere but in the rulebook (accounts/permissions.py).

Python sources are parsed: any comparison with a role on either side
(``user.staff_role in ...``, ``x.role == ...``, ``Role.ANALYST is ...``, a
``*_ROLES`` set) is reported. Templates are searched for ``.role ==`` and the
like. The policy (core/policy) and the referral lifecycle's rule of sides
(core/referrals/lifecycle.py) are the core's own rules, which the rulebook
asks; migrations are history.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import safereport

PACKAGE = Path(safereport.__file__).parent
ALLOWED = (
    PACKAGE / "accounts" / "permissions.py",
    PACKAGE / "core" / "policy",
    PACKAGE / "core" / "referrals" / "lifecycle.py",
)
TEMPLATE_ROLE_CHECK = re.compile(r"\.(staff_)?role(\.value)?\s*(==|!=|\bin\b|\bnot in\b)")


def _names_a_role(node: ast.expr) -> bool:
    """True for an expression that is a role or a set of roles."""
    if isinstance(node, ast.Attribute) and node.attr == "value":
        return _names_a_role(node.value)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "Role":
            return True
        name = node.attr
    elif isinstance(node, ast.Name):
        name = node.id
    else:
        return False
    lowered = name.lower()
    return lowered in ("role", "staff_role", "actor_role") or lowered.endswith("_roles")


def role_comparisons(source: str) -> list[int]:
    """The line numbers of comparisons involving a role in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            _names_a_role(side) for side in (node.left, *node.comparators)
        ):
            found.append(node.lineno)
    return found


def _checked(suffix: str) -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob(f"*{suffix}"))
        if "migrations" not in path.parts
        and not any(path == allowed or allowed in path.parents for allowed in ALLOWED)
    ]


@pytest.mark.parametrize(
    "line",
    [
        "if user.staff_role in CASE_ROLES: pass",
        "ok = actor.staff_role not in RECIPIENT_ROLES",
        "ok = acting_user.staff_role == Role.ANALYST",
        "ok = acting_user.staff_role is Role.ORG_ADMIN",
        "ok = actor.staff_role.value != 'org_admin'",
        "ok = Role.CASEWORKER in allowed",
        "ok = user.role == 'caseworker'",
        "ok = role in SENDING_ROLES",
    ],
)
def test_the_scan_finds_a_role_comparison(line):
    assert role_comparisons(line) == [1]


@pytest.mark.parametrize(
    "line",
    [
        "home = ROLE_HOME[user.staff_role]",
        "ok = permissions.is_case_worker(user)",
        "same = report.custodian_id == user.organisation_id",
        "labels = {Role.ANALYST: 'Analyst'}",
    ],
)
def test_the_scan_lets_other_code_be(line):
    assert role_comparisons(line) == []


def test_no_python_module_compares_roles_outside_the_rulebook():
    modules = _checked(".py")
    assert len(modules) > 50
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in modules
        for line in role_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "ask safereport.accounts.permissions instead"


@pytest.mark.parametrize(
    "text", ['{% if user.role == "org_admin" %}', "{% if user.staff_role in roles %}"]
)
def test_the_template_scan_finds_a_role_comparison(text):
    assert TEMPLATE_ROLE_CHECK.search(text)


def test_no_template_compares_roles():
    templates = _checked(".html")
    assert len(templates) > 20
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in templates
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_ROLE_CHECK.search(text)
    ]
    assert offenders == [], "pass the template a permission (context_processors.staff)"
