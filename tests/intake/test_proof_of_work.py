"""Proof of work on the public side: starting, sending, returning (intake/proofs.py).

Guessing receipts is paid by the guesser: every try needs its own solved
proof, and no number of wrong phrases, from any number of sessions, stops a
reporter's correct phrase. A bad proof is refused with a plain message and
keeps what was typed; without JavaScript a wait ticket does instead.
"""

from __future__ import annotations

import hashlib
import html
import re
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from journey import draft_token, passphrase_from, step_url, submit, walk_to_review

from safereport.core.crypto.passphrase import new_passphrase
from safereport.core.pow import solves
from safereport.intake import drafts
from safereport.intake.proofs import recent
from sr_testing.proofs import bits_of, fields_in, post_through_wait, solved
from sr_testing.redis_store import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.django_db

RETURN = reverse("public:return_start")
GENERIC = "We could not open a report with that secret phrase"


@pytest.fixture(autouse=True)
def _quiet_store():  # type: ignore[no-untyped-def]
    """Counts of recent attempts start at nought in each test."""
    caches["secrets"].clear()
    yield
    caches["secrets"].clear()


@pytest.fixture
def sent(client, personas):  # type: ignore[no-untyped-def]
    walk_to_review(client, personas.support_org)
    return passphrase_from(submit(client, draft_token(client)))


def _page(client: Client, url: str = RETURN) -> str:
    return client.get(url).content.decode()


def _carried(page: str, name: str) -> list[str]:
    pattern = rf'<input type="hidden" name="{name}" value="([^"]*)">'
    return [html.unescape(value) for value in re.findall(pattern, page)]


@pytest.mark.slow  # 500 tries through the real pages: 51 s here (2 shared cores, load 15)
def test_500_wrong_guesses_from_fresh_sessions_then_the_right_phrase_opens_at_once(sent, settings):  # type: ignore[no-untyped-def]
    settings.POW_LOAD_THRESHOLD = 100  # a flood this size raises the difficulty
    for _ in range(500):
        guesser = Client()  # a new cookie each time, as the attack in issue 14 did
        response = guesser.post(RETURN, {"passphrase": new_passphrase(), **solved(_page(guesser))})
        assert response.status_code == 400 and GENERIC in response.content.decode()
    reporter = Client()
    page = _page(reporter)
    assert bits_of(fields_in(page)["pow_challenge"]) > settings.POW_BASE_BITS  # guessing got dearer
    opened = reporter.post(RETURN, {"passphrase": sent, **solved(page)})
    assert opened.status_code == 302 and opened["Location"] == reverse("public:return_report")
    assert "Test Support Centre" in _page(reporter, reverse("public:return_report"))


def test_a_proof_buys_one_try(sent):  # type: ignore[no-untyped-def]
    client = Client()
    proof = solved(_page(client))
    first = client.post(RETURN, {"passphrase": new_passphrase(), **proof})
    assert first.status_code == 400 and GENERIC in first.content.decode()
    replayed = client.post(RETURN, {"passphrase": sent, **proof})
    page = replayed.content.decode()
    assert replayed.status_code == 400 and "was already used" in page
    assert _carried(page, "passphrase") == [sent]  # what was typed is kept, not lost
    assert client.get(reverse("public:return_report")).status_code == 302  # nothing opened
    # The wait page's own proof (what proof.js solves there) sends it on.
    again = client.post(RETURN, {"passphrase": _carried(page, "passphrase")[0], **solved(page)})
    assert again.status_code == 302


def _wrong_answer(proof: dict[str, str]) -> dict[str, str]:
    """A counter that does not solve the challenge (most do not, at 8 bits)."""
    challenge = proof["pow_challenge"]
    seed = hashlib.sha256(challenge.encode()).digest()
    counter = next(c for c in range(1, 10_000) if not solves(seed, c, bits_of(challenge)))
    return {**proof, "pow_solution": str(counter)}


def _tampered(proof: dict[str, str]) -> dict[str, str]:
    parts = proof["pow_challenge"].split(".")
    parts[3] = "1"  # claim an easier puzzle
    return {**proof, "pow_challenge": ".".join(parts)}


@pytest.mark.parametrize(
    ("how", "status", "message"),
    [
        ("missing", 200, "every visitor waits a moment"),
        ("tampered", 400, "could not be verified"),
        ("wrong answer", 400, "could not be verified"),
        ("expired", 400, "expired"),
        ("wrong purpose", 400, "made for another page"),
    ],
)
def test_a_bad_proof_is_refused_plainly_and_keeps_what_was_typed(
    client, personas, settings, how, status, message
):  # type: ignore[no-untyped-def]
    """On the first answer of a report: no draft is made, the answer comes back."""
    if how == "expired":
        settings.POW_TTL_SECONDS = 0
    proof = solved(_page(client, step_url("kind")))
    settings.POW_TTL_SECONDS = 1800
    if how == "missing":
        proof = {}
    elif how == "tampered":
        proof = _tampered(proof)
    elif how == "wrong answer":
        proof = _wrong_answer(proof)
    elif how == "wrong purpose":
        proof = solved(_page(client))  # the return page's proof, for a receipt try
    answer = {"crime_type": "domestic_abuse", "then": "review"}
    response = client.post(step_url("kind"), {**answer, **proof})
    page = response.content.decode()
    assert response.status_code == status and message in page
    assert _carried(page, "crime_type") == ["domestic_abuse"] and _carried(page, "then") == [
        "review"
    ]
    assert drafts.load(response.wsgi_request) is None  # nothing was started
    # Sent on from the wait page, the answer makes the draft.
    forward = client.post(step_url("kind"), {**answer, **solved(page)})
    assert forward.status_code == 302
    assert drafts.load(forward.wsgi_request).answers["kind"]["crime_type"] == "domestic_abuse"


def test_a_wrong_answer_is_not_mistaken_for_a_right_one():
    """Solutions are checked, not just present: most counters fail at 8 bits."""
    client = Client()
    proof = solved(_page(client))
    wrong = _wrong_answer(proof)
    response = client.post(RETURN, {"passphrase": "anything", **wrong})
    assert response.status_code == 400 and "could not be verified" in response.content.decode()


def test_sending_needs_its_own_proof(client, personas):  # type: ignore[no-untyped-def]
    walk_to_review(client, personas.support_org)
    token = draft_token(client)
    return_proof = solved(_page(client))  # another page's proof
    refused = client.post(reverse("public:report_submit"), {"draft": token, **return_proof})
    assert refused.status_code == 400 and "made for another page" in refused.content.decode()
    assert _carried(refused.content.decode(), "draft") == [token]
    sent = post_through_wait(client, reverse("public:report_submit"), {"draft": token})
    assert "data-passphrase" in sent.content.decode()


def test_a_page_view_makes_no_draft(client):  # type: ignore[no-untyped-def]
    """Only a first answer with its proof keeps a draft in the shared store."""
    response = client.get(step_url("kind"))
    assert response.status_code == 200
    assert drafts.load(response.wsgi_request) is None
    assert "draft" not in str(list(caches["secrets"]._cache.keys()))  # type: ignore[attr-defined]


def test_without_javascript_the_ticket_is_valid_after_the_wait(sent, settings):  # type: ignore[no-untyped-def]
    settings.POW_BASE_WAIT_SECONDS = 2
    client = Client()
    ticket = fields_in(_page(client))["pow_ticket"]
    early = client.post(RETURN, {"passphrase": sent, "pow_ticket": ticket})
    page = early.content.decode()
    assert early.status_code == 200 and "every visitor waits a moment" in page
    assert fields_in(page)["pow_ticket"] == ticket  # the same ticket, not a new wait
    assert _carried(page, "passphrase") == [sent]
    not_before = int(ticket.split(".")[4])
    assert not_before - time.time() > 1  # the server set the time, about 2 s on
    time.sleep(not_before - time.time() + 0.1)
    opened = client.post(RETURN, {"passphrase": sent, "pow_ticket": ticket})
    assert opened.status_code == 302
    replayed = Client().post(RETURN, {"passphrase": sent, "pow_ticket": ticket})
    assert replayed.status_code == 400 and "was already used" in replayed.content.decode()


def test_difficulty_and_wait_rise_with_load_and_not_with_page_views(settings):  # type: ignore[no-untyped-def]
    settings.POW_LOAD_THRESHOLD = 4
    client = Client()
    for _ in range(20):  # looking costs nothing and raises nothing
        page = _page(client)
    assert bits_of(fields_in(page)["pow_challenge"]) == 8
    seen = []
    for _ in range(16):
        proof = solved(_page(client))
        seen.append(bits_of(proof["pow_challenge"]))
        client.post(RETURN, {"passphrase": new_passphrase(), **proof})
    assert recent("return") == 16
    # Each doubling past 4 attempts adds a bit (attempts and wrong phrases both count).
    assert seen[0] == 8 and seen[-1] > seen[4] > seen[0]
    assert seen == sorted(seen)
    wait = re.search(r"Wait (\d+) s,", client.post(RETURN, {"passphrase": "x"}).content.decode())
    assert wait and int(wait.group(1)) > settings.POW_BASE_WAIT_SECONDS
    # Another kind of step is not slowed by a flood of receipt guesses.
    assert bits_of(fields_in(_page(client, step_url("kind")))["pow_challenge"]) == 8


def test_a_session_with_many_wrong_phrases_needs_harder_proofs(sent, settings):  # type: ignore[no-untyped-def]
    settings.RECEIPT_MAX_FAILURES = 3
    guesser = Client()
    for _ in range(3):
        guesser.post(RETURN, {"passphrase": new_passphrase(), **solved(_page(guesser))})
    harder = fields_in(_page(guesser))["pow_challenge"]
    assert bits_of(harder) == 8 + settings.RECEIPT_PENALTY_BITS
    easy = solved(_page(Client()))  # a base proof made for a fresh session
    refused = guesser.post(RETURN, {"passphrase": sent, **easy})
    assert refused.status_code == 400 and "not enough any more" in refused.content.decode()
    # Never a refusal of the phrase itself: with the harder proof it opens.
    opened = guesser.post(RETURN, {"passphrase": sent, **solved(_page(guesser))})
    assert opened.status_code == 302


def test_on_redis_proofs_are_spent_once_and_counted_across_workers(sent, settings):  # type: ignore[no-untyped-def]
    """With several workers the store is Redis (raw bytes and integers, never
    pickles): a proof spent through one connection is spent for all, the
    counts are shared, and the store holds nothing about the client."""
    client = redis_or_skip()
    client.flushdb()
    backend = "django.core.cache.backends.redis.RedisCache"
    serializer = {"serializer": "safereport.custody.BytesSerializer"}
    settings.CACHES = {
        **settings.CACHES,
        "secrets": {"BACKEND": backend, "LOCATION": REDIS_URL, "OPTIONS": serializer},
    }
    try:
        reporter = Client()
        proof = solved(_page(reporter))
        assert reporter.post(RETURN, {"passphrase": sent, **proof}).status_code == 302
        replay = Client().post(RETURN, {"passphrase": sent, **proof})
        assert replay.status_code == 400 and "was already used" in replay.content.decode()
        assert recent("return") == 1
        keys = sorted(key.decode() for key in client.keys("*"))
        assert [k for k in keys if ":pow:" not in k and ":sealed:" not in k] == []
        nonce = proof["pow_challenge"].split(".")[6]
        assert any(k.endswith(f"pow:spent:{nonce}") for k in keys)
        assert 0 < client.ttl(next(k for k in keys if "pow:spent" in k)) <= 1801
    finally:
        client.flushdb()
