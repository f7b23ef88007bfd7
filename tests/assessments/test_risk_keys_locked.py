"""The checklist sent while the organisation key is locked (after a server
restart): nothing typed is lost; after signing in again in another tab the
answers come back in the checklist, CSRF checks and all."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from risk_helpers import checklist

from safereport.assessments.models import RiskAssessmentRecord
from sr_testing.personas import PASSWORD, fresh_backup_code, staff_session

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def token_on(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "the page must carry a CSRF token"
    return match.group(1)


def sign_in_with_csrf(client: Client, personas) -> None:  # type: ignore[no-untyped-def]
    token = token_on(client.get(reverse("staff:login")).content.decode())
    response = client.post(
        reverse("staff:login"),
        {
            "username": personas.caseworker.username,
            "password": PASSWORD,
            "code": fresh_backup_code(personas.caseworker),
            "csrfmiddlewaretoken": token,
        },
        HTTP_ORIGIN="null",
    )
    assert response.status_code == 302


def test_a_checklist_sent_with_the_key_locked_keeps_every_answer_and_can_be_sent_again(
    personas, report
):
    client = Client(enforce_csrf_checks=True)
    sign_in_with_csrf(client, personas)
    new = reverse("staff:risk_new", kwargs={"public_id": report.public_id})
    form_page = client.get(new)
    assert form_page.status_code == 200

    caches["secrets"].clear()  # the server restarted while the caseworker typed
    data = checklist(15, da_injured_now_comment="bruised arm", perpetrator_ref="P7")
    data["csrfmiddlewaretoken"] = token_on(form_page.content.decode())
    refused = client.post(new, data, HTTP_ORIGIN="null")

    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Nothing was saved yet" in body
    assert "Sign in again in another tab" in body
    assert "bruised arm" in body and 'value="P7"' in body
    assert re.search(r'name="da_injured_now" value="yes"[^>]*checked', body)
    assert not RiskAssessmentRecord.objects.filter(report=report).exists()

    # What the session keeps meanwhile is sealed to the report: no answer in clear.
    kept = json.dumps(dict(staff_session(client).items()))
    assert "risk-draft:" in kept
    assert "bruised arm" not in kept and "perpetrator_ref" not in kept

    # The page's own "send again" would carry a token that signing in again
    # rotates; the answers come back by opening the checklist after signing in.
    assert reverse("staff:risk_new", kwargs={"public_id": report.public_id}) in body
    sign_in_with_csrf(client, personas)  # in another tab
    back = client.get(new)
    assert back.status_code == 200
    page = back.content.decode()
    assert "These are the answers you sent while the organisation key was locked" in page
    assert "bruised arm" in page and 'value="P7"' in page
    assert re.search(r'name="da_injured_now" value="yes"[^>]*checked', page)
    assert not RiskAssessmentRecord.objects.filter(report=report).exists()

    sent = client.post(new, dict(data, csrfmiddlewaretoken=token_on(page)), HTTP_ORIGIN="null")
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert RiskAssessmentRecord.objects.filter(report=report).count() == 1
    # The draft was used once: the next checklist starts from the saved assessment.
    assert "These are the answers you sent" not in client.get(new).content.decode()


def test_opening_the_checklist_with_the_key_locked_asks_to_sign_in_first(personas, report):
    client = Client()
    sign_in_with_csrf(client, personas)
    caches["secrets"].clear()
    response = client.get(reverse("staff:risk_new", kwargs={"public_id": report.public_id}))
    assert response.status_code == 403
    assert "Sign in again to open cases" in response.content.decode()
    assert 'name="da_injured_now"' not in response.content.decode()
