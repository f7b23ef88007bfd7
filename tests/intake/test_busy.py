"""When every key-derivation slot is taken: the calm busy page, and nothing lost.

The site's vault and password hasher run inside the admission gate
(safereport.admission). Here the gate has one slot and the test holds it,
as a flood would; each page that derives must answer 503 with Retry-After,
keep the draft (and the boxes ticked), count nothing against anyone, and
work once the slot is free.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from journey import draft_token, open_report, passphrase_from, submit, walk_to_review

from safereport import admission
from safereport.accounts import keys
from safereport.accounts.hashers import AdmittedArgon2PasswordHasher
from safereport.accounts.models import AttemptThrottle
from safereport.cases.models import Report
from safereport.core.admission import SlotGate
from safereport.core.crypto.passphrase import new_passphrase
from sr_testing.personas import sign_in
from sr_testing.proofs import post_with_proof, solved

pytestmark = pytest.mark.django_db

BUSY = "Very busy right now"


class CheapAdmittedHasher(AdmittedArgon2PasswordHasher):
    """The site's hasher (gated) at a test cost."""

    time_cost = 1
    memory_cost = 64


@pytest.fixture
def gate(tmp_path: Path, settings):  # type: ignore[no-untyped-def]
    """One slot, a short wait; the site's vault and hasher go through it."""
    one = SlotGate(tmp_path / "slots", slots=1, wait_seconds=0.05, retry_after=60)
    one.prepare()
    admission.use_gate(one)
    keys.use_vault(keys.vault().gated(admission.admitted))  # the suite's cheap vault, gated
    settings.PASSWORD_HASHERS = [f"{__name__}.CheapAdmittedHasher"]
    yield one
    admission.use_gate(None)


def hidden_fields(page: str) -> list[tuple[str, str]]:
    return [
        (name, html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken" and not name.startswith("pow_")
    ]


def test_a_busy_send_keeps_the_draft_and_the_ticks_and_sends_them_later(client, personas, gate):
    walk_to_review(client, personas.support_org, wants="police_through_organisation")
    token = draft_token(client)
    with gate.admitted():  # a flood holds every slot
        response = submit(client, token, consents=("police",))
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert BUSY in page and "Nothing was sent yet" in page
    assert not Report.objects.exists()
    # The page's button sends the same draft with the same boxes ticked...
    action = re.search(r'<form method="post" action="([^"]+)"', page)
    assert action and action.group(1) == reverse("public:report_submit")
    fields = hidden_fields(page)
    assert fields == [("draft", token), ("receipt", "en"), ("consent", "police")]
    # ... and once a slot is free, it goes through: one report, its receipt.
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    # (with its proof of work solved, as proof.js does on that page)
    passphrase = passphrase_from(client.post(action.group(1), {**data, **solved(page)}))
    report = Report.objects.get()
    assert report.consents.filter(withdrawn_at__isnull=True).count() == 1
    assert open_report(Client(), passphrase).status_code == 302


def test_a_busy_return_counts_no_wrong_guess_and_keeps_no_phrase(client, personas, gate):
    walk_to_review(client, personas.support_org)
    passphrase = passphrase_from(submit(client, draft_token(client)))
    reporter = Client()
    with gate.admitted():
        response = open_report(reporter, passphrase)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert BUSY in page and "it was not kept" in page
    assert passphrase not in page
    assert f'href="{reverse("public:return_start")}"' in page
    assert not AttemptThrottle.objects.exists()  # "busy" is not a wrong phrase
    assert open_report(reporter, passphrase).status_code == 302


def test_a_busy_staff_sign_in_is_refused_calmly_and_not_counted(client, personas, gate):
    with gate.admitted():
        response = client.post(
            reverse("staff:login"),
            {"username": "nobody-here", "password": "a long wrong password", "code": "123456"},
        )
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert BUSY in response.content.decode()
    assert not AttemptThrottle.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_the_busy_page_speaks_the_reporters_language(client, personas, gate, language):
    with gate.admitted():
        response = post_with_proof(client, f"/{language}/return/", {"passphrase": new_passphrase()})
    page = response.content.decode()
    assert response.status_code == 503
    assert f'lang="{language}"' in page
    if language != "en":
        assert BUSY not in page  # translated


def test_a_caseworker_filing_for_someone_keeps_what_she_typed_when_busy(client, personas, gate):
    sign_in(client, personas.caseworker)  # a free slot: her password and key are checked
    typed = {"crime_type": "labour_exploitation", "wants": "support_only", "what": "Unpaid 8 mo"}
    with gate.admitted():
        response = client.post(reverse("staff:file_for_reporter"), typed)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "very busy" in page and "Unpaid 8 mo" in page
    assert not Report.objects.exists()
    response = client.post(reverse("staff:file_for_reporter"), typed)
    assert passphrase_from(response) and Report.objects.count() == 1
