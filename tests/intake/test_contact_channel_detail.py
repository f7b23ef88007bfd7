"""A phone call, a text message or an email without a number or address asks again."""

from __future__ import annotations

import pytest
from journey import start_report, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_contact_step(client):  # type: ignore[no-untyped-def]
    start_report(client, {"crime_type": "domestic_abuse"})
    client.post(step_url("what-happened"), {"what": "He took my passport."})
    client.post(step_url("person"), {})
    client.post(step_url("what-you-want"), {"wants": "support_only"})
    return client


@pytest.mark.parametrize(
    ("channel", "detail", "message"),
    [
        ("phone_call", "", "You chose a phone call: type the number to call"),
        ("phone_call", "   ", "You chose a phone call: type the number to call"),
        ("text_message", "", "You chose a text message: type the number to send it to"),
        ("email", "", "You chose an email: type the email address"),
        ("phone_call", "call my sister", "That does not look like a phone number"),
        ("phone_call", "0770", "That does not look like a phone number"),
        ("email", "ana at example dot com", "That does not look like an email address"),
    ],
)
def test_a_channel_without_its_detail_asks_again(at_contact_step, channel, detail, message):
    client = at_contact_step
    response = client.post(
        step_url("safe-contact"),
        {"channel": channel, "detail": detail, "safe_times": "mornings", "code_word": "tulip"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in page and 'href="#id_detail"' in page
    assert message in page
    assert 'id="id_detail-error"' in page
    assert 'value="mornings"' in page and 'value="tulip"' in page  # nothing typed is lost
    # Not stored: the next step still sends her back here.
    assert client.get(step_url("about-you"))["Location"] == step_url("safe-contact")


@pytest.mark.parametrize(
    ("channel", "detail"),
    [
        ("", ""),  # only through the website
        ("phone_call", "07700 900123"),
        ("phone_call", "+44 7700 900 123"),
        ("text_message", "٠٧٧٠٠٩٠٠١٢٣"),  # Arabic-Indic digits are digits
        ("email", "ana@example.org"),
    ],
)
def test_a_channel_with_its_detail_is_kept(at_contact_step, channel, detail):
    response = at_contact_step.post(
        step_url("safe-contact"), {"channel": channel, "detail": detail}
    )
    assert response.status_code == 302
    assert response["Location"] == step_url("about-you")
