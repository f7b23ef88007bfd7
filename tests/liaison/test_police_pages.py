"""The police's pages of a handover: anonymous information never names the
sending organisation; pages are read with GET (recorded once per read); what
is typed survives locked keys; paths come from the URL conf."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from liaison_helpers import answer_url, client_for, handover_url, make_handover

from safereport.accounts.models import AuditEvent
from safereport.core.events import EventKind
from safereport.core.vocabulary import Section
from safereport.liaison.actions import handover_path
from safereport.liaison.models import LiaisonMessage, PoliceHandover

pytestmark = pytest.mark.django_db

SECTIONS = [Section.INCIDENT, Section.PERPETRATOR]


def _police_pages(police, handover: PoliceHandover) -> dict[str, str]:  # type: ignore[no-untyped-def]
    pages = {}
    for name, url in (
        ("list", reverse("staff:police")),
        ("handover", handover_url(handover)),
        ("summary", handover_url(handover, "police_summary")),
        ("packages", reverse("staff:disclosure_packages")),
        (
            "package",
            reverse("staff:disclosure_package", args=[handover.package.package_id]),
        ),
    ):
        response = police.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    # A form that fails shows the handover page again.
    failed = police.post(handover_url(handover, "police_question"), {"text": ""})
    assert failed.status_code == 400
    pages["handover after a failed form"] = failed.content.decode()
    return pages


@pytest.mark.parametrize("way", ["anonymous", "named"])
def test_the_sender_is_named_only_when_the_report_is_not_anonymous(police, personas, report, way):
    handover = make_handover(personas, report, way=way, sections=SECTIONS)
    sender = escape(personas.support_org.name)
    for name, page in _police_pages(police, handover).items():
        if way == "anonymous":
            assert sender not in page, f"the {name} page names the sender"
        else:
            assert sender in page, f"the {name} page does not name the sender"
    if way == "anonymous":
        assert "Anonymous information" in police.get(handover_url(handover)).content.decode()


# -- methods and the record of reading --------------------------------------------


def _opened(personas, handover: PoliceHandover) -> int:  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(
        kind=EventKind.PACKAGE_OPENED,
        actor=personas.police_liaison,
        detail__package=handover.package.package_id,
    ).count()


def test_the_police_pages_are_read_only(police, personas, report):
    handover = make_handover(personas, report)
    for url in (
        reverse("staff:police"),
        handover_url(handover),
        handover_url(handover, "police_summary"),
    ):
        for method in ("post", "put", "delete"):
            response = getattr(police, method)(url)
            assert response.status_code == 405, (method, url)
        assert police.head(url).status_code == 200, url
    assert _opened(personas, handover) == 0  # HEAD reads nothing


def test_opening_is_recorded_per_read_not_per_failed_form(police, personas, report):
    handover = make_handover(personas, report)
    assert police.get(handover_url(handover)).status_code == 200
    assert _opened(personas, handover) == 1
    assert police.get(handover_url(handover, "police_summary")).status_code == 200
    assert _opened(personas, handover) == 2
    for name, data in (
        ("police_question", {"text": ""}),
        ("police_update", {"text": " "}),
        ("police_acknowledge", {"crime_reference": "ref; DROP"}),
    ):
        assert police.post(handover_url(handover, name), data).status_code == 400, name
    assert _opened(personas, handover) == 2


# -- locked keys: nothing typed is lost -----------------------------------------------


def _lock(client) -> None:  # type: ignore[no-untyped-def]
    """Drop the unlocked key, as the browser losing its wrapping-key cookie does."""
    del client.cookies[settings.STAFF_KEY_COOKIE_NAME]


TOO_LONG = "canary-typed-3e7d " + "x" * 5000


@pytest.mark.parametrize(
    ("name", "data", "typed"),
    [
        ("police_question", {"text": TOO_LONG}, TOO_LONG),
        ("police_update", {"text": TOO_LONG}, TOO_LONG),
        ("police_acknowledge", {"crime_reference": "ref; DROP"}, "ref; DROP"),
    ],
)
def test_a_failed_police_form_with_locked_keys_keeps_the_text(
    police, personas, report, name, data, typed
):
    handover = make_handover(personas, report)
    _lock(police)
    response = police.post(handover_url(handover, name), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Sign in again" in page
    assert "Nothing was saved" in page
    assert escape(typed) in page  # what was typed is on the page, in the form
    assert f'action="{handover_url(handover, name)}"' in page
    assert reverse("staff:logout") in page
    assert LiaisonMessage.objects.count() == 0
    handover.refresh_from_db()
    assert handover.acknowledged_at is None
    # Reading the page with locked keys is refused, and not recorded as read.
    assert police.get(handover_url(handover)).status_code == 409
    assert _opened(personas, handover) == 0


def test_a_failed_crime_reference_with_locked_keys_keeps_the_text(police, personas, report):
    handover = make_handover(personas, report)
    police.post(handover_url(handover, "police_acknowledge"), {})
    _lock(police)
    response = police.post(
        handover_url(handover, "police_crime_reference"), {"crime_reference": "ref; DROP"}
    )
    assert response.status_code == 409
    assert 'value="ref; DROP"' in response.content.decode()


def test_a_failed_answer_with_locked_keys_keeps_the_text(police, caseworker, personas, report):
    handover = make_handover(personas, report)
    police.post(handover_url(handover, "police_question"), {"text": "Can she come on Monday?"})
    question = LiaisonMessage.objects.get()
    _lock(caseworker)
    response = caseworker.post(answer_url(question), {"text": TOO_LONG})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Sign in again" in page and escape(TOO_LONG) in page
    assert f'action="{answer_url(question)}"' in page
    assert LiaisonMessage.objects.count() == 1
    # A valid answer needs no unlocked key: it is saved.
    saved = caseworker.post(answer_url(question), {"text": "Yes, at ten."})
    assert saved.status_code == 302
    assert LiaisonMessage.objects.filter(kind="answer").count() == 1


# -- paths ---------------------------------------------------------------------------


def test_the_handover_path_follows_the_url_conf(personas, report):
    handover = make_handover(personas, report)
    assert handover_path(handover) == f"/staff/police/{handover.pk}/"
    with override_settings(ROOT_URLCONF="liaison_moved_urls"):
        assert handover_path(handover) == f"/office/police/{handover.pk}/"


# -- one check of the custodian's caseworkers ------------------------------------


def test_the_liaison_uses_the_cases_check_of_caseworkers(personas, report):
    from safereport.accounts.actions import ActionRefused
    from safereport.cases import actions as cases_actions
    from safereport.liaison import actions as liaison_actions

    assert liaison_actions.require_case_worker is cases_actions.require_case_worker
    assert not hasattr(liaison_actions, "_require_case_worker")  # no copy of its own
    handover = make_handover(personas, report)
    client_for(personas.police_liaison).post(
        handover_url(handover, "police_question"), {"text": "A question?"}
    )
    question = LiaisonMessage.objects.get()
    with pytest.raises(ActionRefused):
        liaison_actions.do_answer_question(
            question, "not mine", acting_user=personas.other_caseworker
        )
    assert LiaisonMessage.objects.count() == 1
