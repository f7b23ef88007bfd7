"""A stolen database and data folder, the matching key in hand, one entry per identifier:
no identifier in them, no link from a tag to a report, and no entry opens."""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import string
from pathlib import Path

import pytest
from django.conf import settings

from safereport.accounts.models import AuditEvent
from safereport.core.matching import (
    MatchingKey,
    NoMatch,
    SealedEntry,
    normalise_business,
    normalise_email,
    normalise_phone,
    normalise_social,
    normalise_vehicle,
    open_entry,
    open_pair,
)
from safereport.matching.actions import do_add_identifiers
from safereport.matching.models import Match, MatchEntry
from sr_testing.dumps import dump_database
from sr_testing.reports import submit

# Committed rows: pg_dump reads through its own connection, which sees no
# uncommitted test transaction (the positive control below catches that).
pytestmark = pytest.mark.django_db(transaction=True)


def _letters(n: int) -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(n))


def _forms(value: bytes) -> list[bytes]:
    return [value, value.hex().encode(), value.hex().upper().encode(), base64.b64encode(value)]


def _data_folder() -> bytes:
    chunks = []
    for path in Path(settings.DATA_DIR).rglob("*"):
        if path.is_file() and path.stat().st_size < 20_000_000 and "static" not in path.parts:
            chunks.append(path.read_bytes())
    return b"\n".join(chunks)


@pytest.fixture
def named(personas):  # type: ignore[no-untyped-def]
    """Two reports, each naming canary identifiers of every kind; no two the same."""
    canary = "canary" + _letters(10)
    identifiers = {
        "business": normalise_business(f"{canary} Cleaning Ltd", "E1 6AN"),
        "email": normalise_email(f"{canary}@example.com"),
        "social": normalise_social("instagram", canary + "boss"),
        "vehicle": normalise_vehicle("CN" + str(secrets.randbelow(90) + 10) + _letters(3)),
        "phone": normalise_phone(f"07700 9{secrets.randbelow(10**5):05d}"),
    }
    first, _ = submit(personas, org=personas.support_org)
    second, _ = submit(personas, org=personas.other_support_org)
    items = list(identifiers.values())
    do_add_identifiers(first, items[:3], acting_user=None)
    do_add_identifiers(second, items[3:], acting_user=None)
    return canary, identifiers, (first, second)


def test_no_identifier_tag_or_report_link_in_a_stolen_database(named):
    canary, identifiers, reports = named
    assert MatchEntry.objects.count() == len(identifiers)
    assert Match.objects.count() == 0
    stolen = dump_database() + _data_folder()
    # the dump is the real thing: what is stored in the clear is found in it
    assert reports[0].public_id.encode() in stolen
    sealed = bytes(MatchEntry.objects.values_list("sealed", flat=True)[0])
    assert any(form in stolen for form in _forms(sealed))  # raw in SQLite, hex in pg_dump
    key = MatchingKey(bytes(settings.MATCHING_KEY))
    secrets_found = []
    for name, identifier in identifiers.items():
        tag = key.tag(identifier)
        texts = {identifier.value.encode(), identifier.value.upper().encode()}
        if name != "phone":
            texts.add(canary.encode())
        for value in [*texts, tag.value]:
            secrets_found += [f"{name}: {form[:12]!r}" for form in _forms(value) if form in stolen]
    assert secrets_found == []
    # The report's public id and pk are nowhere in the entries' rows, and the audit
    # rows of each tag computation name neither the report nor its organisation.
    rows = b"".join(
        bytes(e.lookup) + bytes(e.x) + bytes(e.y) + bytes(e.sealed)
        for e in MatchEntry.objects.all()
    )
    for report in reports:
        for value in (report.public_id.encode(), report.custodian.slug.encode()):
            assert not any(form in rows for form in _forms(value))
    computed = AuditEvent.objects.filter(kind="matching_tag_computed")
    assert computed.count() == len(identifiers)
    assert all(e.organisation_id is None and e.detail == {} for e in computed)


def test_with_the_key_and_without_a_second_entry_nothing_opens(named):
    _canary, _identifiers, _reports = named
    stored = [
        SealedEntry(bytes(e.lookup), bytes(e.x), bytes(e.y), bytes(e.sealed))
        for e in MatchEntry.objects.all()
    ]
    key = MatchingKey(bytes(settings.MATCHING_KEY))
    for one, other in itertools.permutations(stored, 2):
        with pytest.raises(NoMatch):
            open_pair(one, other)
        with pytest.raises(NoMatch):
            open_pair(one, SealedEntry(one.index, other.x, other.y, other.sealed))
    # guesses near the truth find nothing and open nothing
    lookups = {entry.index for entry in stored}
    for guess in [normalise_phone("07700 900000"), normalise_email("boss@example.com")]:
        tag = key.tag(guess)
        assert tag.index() not in lookups
        for entry in stored:
            with pytest.raises(NoMatch):
                open_entry(tag.secret(), entry)


def test_what_the_key_and_a_right_guess_do_reveal(named):
    """The limit docs/matching.md states: whoever holds the database, the matching key
    and the right guess finds the entry and opens it. This is why the key lives
    outside the database and every tag computation is rate-limited and logged."""
    _canary, identifiers, (first, _second) = named
    key = MatchingKey(bytes(settings.MATCHING_KEY))
    tag = key.tag(identifiers["business"])
    row = MatchEntry.objects.get(lookup=tag.index())
    payload = open_entry(
        tag.secret(), SealedEntry(tag.index(), bytes(row.x), bytes(row.y), bytes(row.sealed))
    )
    assert json.loads(payload)["r"] == first.public_id
