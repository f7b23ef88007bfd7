"""No import loop between the Django apps of src/safereport.

Every ``import`` of every app module (at any depth, inside functions too)
is read with ``ast``; an app that imports another, directly or through
others, must never be imported back. Management commands are left out: they
are entry points that no module imports (the demo command seeds every app).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import safereport

PACKAGE = Path(safereport.__file__).parent
APPS = sorted(path.parent.name for path in PACKAGE.glob("*/apps.py"))


def imported_apps(source: str, apps: Iterable[str]) -> set[str]:
    """The apps a module's source imports, by ``import`` or ``from ... import``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    found = set()
    for name in names:
        parts = name.split(".")
        if len(parts) > 1 and parts[0] == "safereport" and parts[1] in apps:
            found.add(parts[1])
    return found


def app_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for app in APPS:
        for module in (PACKAGE / app).rglob("*.py"):
            parts = module.relative_to(PACKAGE / app).parts
            if "migrations" in parts or "management" in parts:
                continue
            graph[app] |= imported_apps(module.read_text(encoding="utf-8"), APPS) - {app}
    return graph


def loops(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, as the apps along it."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(app: str, path: list[str]) -> None:
        state[app] = "open"
        for other in sorted(graph.get(app, ())):
            if state.get(other) == "open":
                found.append([*path[path.index(other) :], other])
            elif other not in state:
                visit(other, [*path, other])
        state[app] = "done"

    for app in sorted(graph):
        if app not in state:
            visit(app, [app])
    return found


def test_the_walk_finds_a_loop_through_three_apps():
    graph = {"cases": {"disclosures"}, "disclosures": {"liaison"}, "liaison": {"cases"}}
    assert loops(graph) == [["cases", "disclosures", "liaison", "cases"]]
    assert loops({"cases": {"accounts"}, "accounts": set()}) == []


def test_imports_are_read_in_every_form():
    source = (
        "from safereport.cases.models import Report\n"
        "import safereport.liaison.actions\n"
        "from safereport import referrals\n"
        "def late():\n"
        "    from safereport.disclosures.models import SECTION_LABELS\n"
        "from safereport.core import labels\n"
    )
    found = imported_apps(source, APPS)
    assert found == {"cases", "liaison", "referrals", "disclosures"}


def test_there_are_apps_and_imports_to_check():
    graph = app_graph()
    assert {"accounts", "cases", "disclosures", "intake"} <= set(graph)
    assert "accounts" in graph["cases"]


def test_no_import_loop_between_apps():
    assert loops(app_graph()) == []
