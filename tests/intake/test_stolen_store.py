"""A stolen database, Redis dump and data folder open nothing.

Taken while a caseworker is signed in, one reporter is mid-journey (with
text carried across a language switch) and another has her report open with
her receipt: no canary text from the reports or drafts is in them, nor any
private key (staff, organisation, report), receipt key or browser wrapping
key, in raw, hex or base64 form; and a sealed value does not open without
its browser's key.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import journey
import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from journey import draft_token, open_report, passphrase_from, step_url, submit, walk_to_review

from safereport.accounts import keys
from safereport.accounts.models import StaffKey
from safereport.cases.models import Report
from safereport.cases.selectors import find_by_receipt
from safereport.core.crypto import DecryptionFailed
from safereport.core.crypto.custody import new_wrapping_key, open_for_browser
from sr_testing import custody
from sr_testing.personas import PASSWORD, sign_in, submit_report
from sr_testing.redis_store import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.django_db

DRAFT_CANARY = "canary-draft-8c41"
CARRY_CANARY = "canary-carried-2f07"
REPORT_CANARY = "canary-report-61d9"
PREFIX = "sr-secrets"


@pytest.fixture
def redis_secrets(settings):  # type: ignore[no-untyped-def]
    """The secrets store on a real Redis, as every multi-worker deployment runs it."""
    client = redis_or_skip()
    client.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "secrets": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": PREFIX,
            "OPTIONS": {"serializer": "safereport.custody.BytesSerializer"},
        },
    }
    yield client
    client.flushdb()


def forms_of(secret: bytes) -> list[bytes]:
    """A secret as a dump could hold it: raw, hex, base64 (both alphabets, padded or not)."""
    encoded = [base64.b64encode(secret), base64.urlsafe_b64encode(secret)]
    return [secret, secret.hex().encode(), *encoded, *(e.rstrip(b"=") for e in encoded)]


def database_dump() -> bytes:
    """Every column of every row of every table, as bytes, and every session decoded."""
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode())
    chunks += [json.dumps(s.get_decoded()).encode() for s in Session.objects.all()]
    return b"\n".join(chunks)


def redis_dump(client) -> tuple[bytes, list[bytes]]:  # type: ignore[no-untyped-def]
    """Every key and value in the Redis database, read as a thief would."""
    chunks, names = [], []
    for name in client.scan_iter():
        names.append(name)
        kind = client.type(name)
        if kind == b"string":
            values = [client.get(name)]
        elif kind == b"hash":
            values = [b for pair in client.hgetall(name).items() for b in pair]
        elif kind == b"list":
            values = client.lrange(name, 0, -1)
        else:
            values = list(client.smembers(name)) if kind == b"set" else client.zrange(name, 0, -1)
        chunks += [name, *values]
    return b"\n".join(chunks), names


def data_folder_dump() -> bytes:
    folder = Path(django_settings.DATA_DIR)
    return b"\n".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_a_stolen_database_redis_and_data_folder_open_nothing(personas, redis_secrets):
    # A caseworker is signed in and has a case open.
    staff = Client()
    sign_in(staff, personas.caseworker)
    reporter = Client()
    walk_to_review(reporter, personas.support_org, what=f"He kept my wages. {REPORT_CANARY}")
    passphrase = passphrase_from(submit(reporter, draft_token(reporter)))
    report = Report.objects.get()
    case = staff.get(reverse("staff:case", kwargs={"public_id": report.public_id}))
    assert REPORT_CANARY in case.content.decode(), "the caseworker's key works through Redis"

    # That reporter is back with her receipt; another is mid-journey.
    returned = Client()
    assert open_report(returned, passphrase).status_code == 302
    assert "Test Support Centre" in returned.get(reverse("public:return_report")).content.decode()
    drafting = Client()
    journey.start_report(drafting, {"crime_type": "domestic_abuse"})
    typed = {"what": f"My employer has my passport. {DRAFT_CANARY}", "when": "", "where": ""}
    assert drafting.post(step_url("what-happened"), typed).status_code == 302
    switched = drafting.post(
        step_url("person"),
        {"who": CARRY_CANARY, "relationship": "", "more": "", "switch_language": "es"},
    )
    assert switched.status_code == 302
    # Her draft and her carried text open with her browser's key, as her next request will.
    assert DRAFT_CANARY.encode() in custody.opened(drafting, "draft", staff=False)
    assert CARRY_CANARY.encode() in custody.opened(drafting, "carry:step:person", staff=False)

    # What a thief could use: the keys as the real unlock gives them, and the browsers' keys.
    staff_key = keys.vault().unlock_staff(
        keys.staff_id(personas.caseworker),
        keys.record_of(StaffKey.objects.get(staff=personas.caseworker)),
        PASSWORD,
    )
    org_key = keys.unlock_organisation_for(personas.caseworker, staff_key)
    assert org_key is not None
    receipt = keys.vault().derive_receipt(passphrase)
    found = find_by_receipt(receipt)
    assert found is not None
    secrets = [
        staff_key.secret_bytes(),
        bytes(org_key._key),
        found[1]._secret(),
        receipt.unwrap_key,
        receipt.lookup_id,
    ]
    browser_keys = [
        custody.browser_key(staff, staff=True),
        custody.browser_key(returned, staff=False),
        custody.browser_key(drafting, staff=False),
    ]
    assert all(key is not None for key in browser_keys)
    needles = [n for s in [*secrets, *browser_keys] if s for n in forms_of(s)]
    needles += [c.encode() for c in (DRAFT_CANARY, CARRY_CANARY, REPORT_CANARY)]

    redis_bytes, names = redis_dump(redis_secrets)
    stolen = {"database": database_dump(), "redis": redis_bytes, "data folder": data_folder_dump()}
    # The dumps are real: the sealed values and the rows are in them.
    for purpose in (b":staff-key", b":receipt", b":draft", b":carry:step:person"):
        assert any(name.endswith(purpose) for name in names), (purpose, names)
    assert personas.caseworker.username.encode() in stolen["database"]
    for where, dump in stolen.items():
        for needle in needles:
            assert needle not in dump, f"{needle[:12]!r}... found in the stolen {where}"

    # Each sealed value opens only with its browser's key.
    for client, purpose, is_staff in [
        (staff, "staff-key", True),
        (returned, "receipt", False),
        (drafting, "draft", False),
    ]:
        blob = custody.sealed(client, purpose, staff=is_staff)
        slot = custody.session_of(client, staff=is_staff)["custody_slot"]
        assert blob is not None
        assert custody.opened(client, purpose, staff=is_staff)
        for wrong in (new_wrapping_key(), slot.encode().ljust(32, b"\0")[:32]):
            with pytest.raises(DecryptionFailed):
                open_for_browser(wrong, blob, slot=slot, purpose=purpose)


def test_the_sealed_staff_key_lasts_one_idle_spell_and_goes_at_sign_out(
    client, personas, redis_secrets
):
    sign_in(client, personas.caseworker)
    name = f"{PREFIX}:1:{custody.store_name(client, 'staff-key', staff=True)}"
    idle_ms = django_settings.STAFF_SESSION_IDLE_MINUTES * 60 * 1000
    assert 0 < redis_secrets.pttl(name) <= idle_ms

    # Activity on any staff page starts a new idle spell.
    redis_secrets.pexpire(name, 5_000)
    assert client.get(reverse("staff:inbox")).status_code == 200
    assert redis_secrets.pttl(name) > 5_000

    # Once it has expired from Redis, the case pages ask to sign in again.
    report = submit_report(personas.support_org)
    case_url = reverse("staff:case", kwargs={"public_id": report.public_id})
    assert client.get(case_url).status_code == 200
    redis_secrets.pexpire(name, 1)
    time.sleep(0.05)
    assert client.get(case_url).status_code == 403

    sign_in(client, personas.caseworker)
    name = f"{PREFIX}:1:{custody.store_name(client, 'staff-key', staff=True)}"
    assert redis_secrets.exists(name)
    client.post(reverse("staff:logout"))
    assert not redis_secrets.exists(name)
    assert custody.browser_key(client, staff=True) is None
