"""The firewall policy's hash is recorded in the log after migrate, and again when it changes."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management.sql import emit_post_migrate_signal

from safereport.core.events import EventKind
from safereport.core.ledger import decode_entry
from safereport.core.policy import firewall, policy_hash
from safereport.transparency.actions import last_recorded_policy_hash, record_firewall_policy
from safereport.transparency.models import LogEntry

pytestmark = pytest.mark.django_db


def recorded_hashes() -> list[str]:
    rows = LogEntry.objects.filter(kind=EventKind.FIREWALL_POLICY_RECORDED.value).values_list(
        "data", flat=True
    )
    return [decode_entry(bytes(d)).policy_hash.hex() for d in rows]  # type: ignore[union-attr]


def test_migrating_the_test_database_recorded_the_published_policy():
    assert recorded_hashes()[-1] == policy_hash()


def test_recording_again_without_a_change_adds_nothing():
    before = LogEntry.objects.count()
    assert record_firewall_policy() is None
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert LogEntry.objects.count() == before


def test_a_changed_policy_text_is_recorded_with_its_new_hash(tmp_path, monkeypatch):
    changed = tmp_path / "firewall.cedar"
    text = firewall.POLICY_PATH.read_text(encoding="utf-8") + "\n// a local note\n"
    changed.write_text(text, encoding="utf-8")
    monkeypatch.setattr(firewall, "POLICY_PATH", changed)
    new_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert policy_hash() == new_hash

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as `migrate` does

    assert recorded_hashes()[-1] == new_hash
    assert last_recorded_policy_hash() == bytes.fromhex(new_hash)
    entry = decode_entry(bytes(LogEntry.objects.order_by("-index").first().data))  # type: ignore[union-attr]
    assert entry.kind == EventKind.FIREWALL_POLICY_RECORDED
    assert entry.org is None and entry.commitment is None  # nothing but the kind, week and hash

    monkeypatch.undo()  # back to the published policy: that change is recorded too
    index = record_firewall_policy()
    assert index is not None
    assert recorded_hashes()[-2:] == [new_hash, policy_hash()]
