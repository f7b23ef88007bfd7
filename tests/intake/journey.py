"""Walking the public journey with Django's test client (no JavaScript, like a basic phone)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from safereport.accounts.models import Organisation
from sr_testing.proofs import post_through_wait, post_with_proof, solved


def step_url(slug: str) -> str:
    return reverse("public:report_step", args=[slug])


def walk_to_review(
    client: Client,
    organisation: Organisation,
    *,
    what: str = "He pushed me and took my phone.",
    wants: str = "support_only",
    name: str = "",
    attachment=None,  # type: ignore[no-untyped-def]
    danger_now: bool = False,
) -> None:
    kind = {"crime_type": "domestic_abuse", **({"danger_now": "on"} if danger_now else {})}
    answers = [
        ("kind", kind),
        ("what-happened", {"what": what, "when": "Last Friday", "where": "At home"}),
        ("person", {"who": "My husband", "relationship": "partner", "more": ""}),
        ("what-you-want", {"wants": wants, "needs": "Somewhere safe to stay"}),
        (
            "safe-contact",
            {
                "channel": "phone_call",
                "detail": "07700 900123",
                "safe_times": "mornings",
                "code_word": "sunflower",
                "language": "es",
                "interpreter": "on",
            },
        ),
        ("about-you", {"name": name, "other": ""}),
    ]
    for slug, data in answers:
        if slug == "kind":  # the first answer makes the draft: with the page's proof of work
            response = post_with_proof(client, step_url(slug), data)
        else:
            response = client.post(step_url(slug), data)
        assert response.status_code == 302, (slug, response.content[:2000])
    files = {"file": attachment} if attachment is not None else {}
    response = client.post(step_url("attachments"), {"action": "continue", **files})
    assert response.status_code == 302
    assert client.post(step_url("area"), {"area": ""}).status_code == 302
    response = client.post(step_url("organisation"), {"organisation": organisation.slug})
    assert response.status_code == 302
    assert response["Location"] == reverse("public:report_review")


def draft_token(client: Client) -> str:
    page = client.get(reverse("public:report_review")).content.decode()
    match = re.search(r'name="draft" value="([^"]+)"', page)
    assert match, "the review page carries the draft token"
    return match.group(1)


def submit(  # type: ignore[no-untyped-def]
    client: Client, token: str, consents: tuple[str, ...] = (), receipt: str = "", **extra: str
):
    """Send the report, with the review page's proof of work solved (or, when
    there is no review page any more, the wait page's). ``receipt`` is the
    receipt form chosen (a language or "digits"; the page's first if empty);
    ``extra`` adds fields (``who-kind`` ... for the detail of who is responsible)."""
    data: dict[str, object] = {"draft": token, "consent": list(consents), **extra}
    if receipt:
        data["receipt"] = receipt
    review = client.get(reverse("public:report_review"))
    if review.status_code != 200:
        return post_through_wait(client, reverse("public:report_submit"), data)
    return client.post(reverse("public:report_submit"), {**data, **solved(review.content.decode())})


def passphrase_from(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"data-passphrase>(?:<bdi>)?([^<]+)<", response.content.decode())
    assert match, "the receipt page shows the passphrase"
    return match.group(1).strip()


def open_report(client: Client, passphrase: str):  # type: ignore[no-untyped-def]
    """Type the phrase on the return page, with its proof of work solved."""
    return post_with_proof(client, reverse("public:return_start"), {"passphrase": passphrase})


def start_report(client: Client, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """The first answer of a report, with the first page's proof of work solved."""
    return post_with_proof(client, step_url("kind"), data)
