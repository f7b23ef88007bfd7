"""Writing to the transparency log: the API other apps call.

Call these inside your own action's ``transaction.atomic`` block, so the
log entry is committed together with the decision it records, or not at all
(DESIGN.md invariant 6)::

    from safereport.core.ledger import Decision, Entry, iso_week
    from safereport.transparency.actions import append_entry, report_commitment

    index = append_entry(
        Entry(
            kind=EventKind.DISCLOSURE_ALLOWED,       # or DISCLOSURE_REFUSED, CONSENT_GIVEN, ...
            week=iso_week(timezone.now()),           # UTC; never a finer time
            org=custodian.slug,                      # public slug of the custodian
            recipient_kind=recipient.org_kind,
            purpose=purpose,
            sections=tuple(sections),
            decision=Decision.ALLOW,
            policy_hash=bytes.fromhex(decision.policy_hash),
            rule_ids=tuple(decision.rule_ids),
            commitment=report_commitment(unlocked_report),  # lets the reporter find it
        )
    )
    disclosure.ledger_index = index   # keep it: the reporter's page checks these

``append_entry(entry) -> int`` appends one entry, stores the Merkle nodes the
append creates and a new signed tree head over the new size, and returns the
entry's index. Appends are serialised by a row lock on ``LogState``.

``report_commitment(unlocked_report)`` (or ``commitment_for_key(key)`` with
``UnlockedReport.ledger_commitment_key()``) makes a fresh per-report
commitment. ``record_firewall_policy()`` appends a
``firewall_policy_recorded`` entry when the published policy's hash differs
from the last one recorded (run after every ``safereport migrate``).

Entries hold no personal data by construction (``core.ledger.Entry`` is an
allow-list); never put a report number or anything typed by a person in
``org`` or ``rule_ids``.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from nacl.signing import SigningKey, VerifyKey

from safereport.core.crypto import UnlockedReport
from safereport.core.events import EventKind
from safereport.core.ledger import (
    Commitment,
    Entry,
    Frontier,
    MissingNode,
    NodeId,
    decode_entry,
    encode_entry,
    iso_week,
    leaf_hash,
    make_commitment,
    sign_tree_head,
)
from safereport.core.policy import policy_hash
from safereport.jobs.tasks import request_tree_head
from safereport.transparency.models import LogEntry, LogState, MerkleNode, TreeHead


@functools.cache
def _signing_key(seed_hex: str) -> SigningKey:
    return SigningKey(bytes.fromhex(seed_hex))


def signing_key() -> SigningKey:
    """The log's Ed25519 key, from ``settings.LEDGER_SIGNING_KEY`` (the only reader)."""
    return _signing_key(settings.LEDGER_SIGNING_KEY)


def verify_key() -> VerifyKey:
    """The public key that verifies the log's tree heads."""
    return signing_key().verify_key


class DatabaseNodes:
    """A ``core.ledger.NodeReader`` over the ``MerkleNode`` table: one query per call.

    Plain SQL: building an OR of O(log n) conditions through the ORM cost
    more than the query itself (bench/ledger_db_bench.py).
    """

    def read_nodes(self, ids: Sequence[NodeId]) -> list[bytes]:
        if not ids:
            return []
        wanted = sorted({(node.level, node.index) for node in ids})
        table = connection.ops.quote_name(MerkleNode._meta.db_table)
        index = connection.ops.quote_name("index")
        condition = " OR ".join([f"(level = %s AND {index} = %s)"] * len(wanted))
        params = [value for pair in wanted for value in pair]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT level, {index}, hash FROM {table} WHERE {condition}",  # noqa: S608 - only placeholders and quoted names
                params,
            )
            found = {(level, position): bytes(value) for level, position, value in cursor}
        try:
            return [found[(node.level, node.index)] for node in ids]
        except KeyError as error:
            raise MissingNode(f"the log holds no node {error.args[0]}") from None


def _locked_state() -> LogState:
    """The ``LogState`` row, locked until the end of the transaction (made on first use)."""
    state = LogState.objects.select_for_update().filter(id=1).first()
    if state is None:
        LogState.objects.get_or_create(id=1)
        state = LogState.objects.select_for_update().get(id=1)
    return state


def month_of_week(week: str) -> str:
    """The month (``YYYY-MM``) an ISO week belongs to: the month of its Thursday."""
    year, number = week.split("-W")
    thursday = dt.date.fromisocalendar(int(year), int(number), 4)
    return f"{thursday.year:04d}-{thursday.month:02d}"


def _now_ms() -> int:
    return int(timezone.now().timestamp() * 1000)


def append_entry(entry: Entry) -> int:
    """Append ``entry`` to the log, sign the new tree head, return the entry's index.

    Runs in the caller's transaction (a savepoint inside it), so a rollback
    of the caller's action removes the entry too. Raises
    ``core.ledger.EntryError`` subclasses for an entry that is not allowed.
    """
    data = encode_entry(entry)  # validates again: Entry is an allow-list
    leaf = leaf_hash(data)
    with transaction.atomic():
        state = _locked_state()
        index = state.size
        frontier = Frontier.load(DatabaseNodes(), index)
        nodes = frontier.append(leaf)
        LogEntry.objects.create(
            index=index,
            data=data,
            leaf_hash=leaf,
            kind=str(entry.kind),
            recipient_kind=str(entry.recipient_kind or ""),
            month=month_of_week(entry.week),
        )
        MerkleNode.objects.bulk_create(
            MerkleNode(level=node.level, index=node.index, hash=node.hash) for node in nodes
        )
        _store_tree_head(state, frontier)
    request_tree_head()  # the queue's task; a no-op while every append signs its own head
    return index


def _store_tree_head(state: LogState, frontier: Frontier) -> TreeHead:
    """Sign and store a head over ``frontier``, the log's new size; call with ``state`` locked."""
    timestamp = max(_now_ms(), state.last_timestamp_ms)
    sth = sign_tree_head(
        signing_key(), tree_size=frontier.size, timestamp_ms=timestamp, root_hash=frontier.root()
    )
    LogState.objects.filter(id=1).update(size=frontier.size, last_timestamp_ms=timestamp)
    return TreeHead.objects.create(
        tree_size=sth.tree_size,
        timestamp_ms=sth.timestamp_ms,
        root_hash=sth.root_hash,
        signature=sth.signature,
        key_id=sth.key_id,
    )


def do_sign_tree_head() -> TreeHead | None:
    """Sign a head over the log's current size unless one exists (the job queue's
    ``sign_tree_head`` task). Returns the new head, or None when nothing grew."""
    with transaction.atomic(durable=True):
        state = _locked_state()
        if state.size == 0 or TreeHead.objects.filter(tree_size=state.size).exists():
            return None
        return _store_tree_head(state, Frontier.load(DatabaseNodes(), state.size))


def commitment_for_key(key: bytes) -> Commitment:
    """A fresh commitment under a report's commitment key (a new random nonce each time)."""
    return make_commitment(key, os.urandom)


def report_commitment(report: UnlockedReport) -> Commitment:
    """A fresh commitment for an open report: only its readers can recognise it."""
    return commitment_for_key(report.ledger_commitment_key())


def this_week() -> str:
    """The current ISO week in UTC, the only time an entry carries."""
    return iso_week(timezone.now().astimezone(dt.UTC))


def last_recorded_policy_hash() -> bytes | None:
    """The policy hash of the newest ``firewall_policy_recorded`` entry, if any."""
    row = (
        LogEntry.objects.filter(kind=EventKind.FIREWALL_POLICY_RECORDED.value)
        .order_by("-index")
        .values_list("data", flat=True)
        .first()
    )
    return None if row is None else decode_entry(bytes(row)).policy_hash


def record_firewall_policy(policy_sha256_hex: str | None = None) -> int | None:
    """Record the firewall policy's hash unless it is already the last one recorded.

    ``policy_sha256_hex`` defaults to the published policy
    (``core.policy.policy_hash()``). Returns the new entry's index, or
    ``None`` when nothing changed.
    """
    digest = bytes.fromhex(policy_sha256_hex or policy_hash())
    with transaction.atomic():
        _locked_state()  # two migrating servers record once
        if last_recorded_policy_hash() == digest:
            return None
        return append_entry(
            Entry(kind=EventKind.FIREWALL_POLICY_RECORDED, week=this_week(), policy_hash=digest)
        )
