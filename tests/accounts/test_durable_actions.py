"""An action's transaction is the outermost one: nesting it raises.

These tests run without the test case's own transaction
(``transaction=True``): inside it Django relaxes durability, and the check
could not fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

import safereport
from safereport.cases.actions import do_add_note
from safereport.cases.models import Note
from safereport.core.choice import generate_design
from safereport.survey.actions import do_store_survey_design
from safereport.survey.models import SurveyDesign
from sr_testing.reports import submit

PACKAGE = Path(safereport.__file__).parent
# The apps whose actions this test covers (intake and transparency have their own).
APPS = ("accounts", "assessments", "cases", "disclosures", "liaison", "referrals", "survey")


@pytest.fixture(scope="module")
def design():  # type: ignore[no-untyped-def]
    return generate_design(seed=0)


@pytest.mark.django_db(transaction=True)
def test_an_action_inside_another_transaction_raises_and_writes_nothing(design):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        do_store_survey_design(design, acting_user=None)
    assert SurveyDesign.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_action_on_its_own_writes(design):
    do_store_survey_design(design, acting_user=None)
    assert SurveyDesign.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_action_with_a_check_and_an_event_cannot_be_nested_either(personas):
    report, _ = submit(personas)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        do_add_note(report, "Called back.", acting_user=personas.caseworker)
    assert not Note.objects.filter(report=report).exists()
    do_add_note(report, "Called back.", acting_user=personas.caseworker)
    assert Note.objects.filter(report=report).count() == 1


def atomic_uses(source: str) -> list[tuple[str, bool]]:
    """(function name, durable?) for every ``transaction.atomic`` in the
    module's top-level functions."""
    found = []
    for function in ast.parse(source).body:
        if not isinstance(function, ast.FunctionDef):
            continue
        nodes = list(ast.walk(function))
        called = {id(n.func): n for n in nodes if isinstance(n, ast.Call)}
        for node in nodes:
            if isinstance(node, ast.Attribute) and node.attr == "atomic":
                call = called.get(id(node))
                durable = call is not None and any(
                    k.arg == "durable" and getattr(k.value, "value", None) is True
                    for k in call.keywords
                )
                found.append((function.name, durable))
    return found


def test_the_scan_tells_a_durable_transaction_from_a_plain_one():
    plain = "def do_x():\n    with transaction.atomic():\n        pass\n"
    durable = "@transaction.atomic(durable=True)\ndef do_y():\n    pass\n"
    bare = "@transaction.atomic\ndef do_z():\n    pass\n"
    assert atomic_uses(plain) == [("do_x", False)]
    assert atomic_uses(durable) == [("do_y", True)]
    assert atomic_uses(bare) == [("do_z", False)]


@pytest.mark.parametrize("app", APPS)
def test_every_action_transaction_is_durable(app):
    uses = atomic_uses((PACKAGE / app / "actions.py").read_text(encoding="utf-8"))
    plain = {(app, name) for name, durable in uses if not durable}
    assert plain == set()
