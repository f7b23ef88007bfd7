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
append creates and the tree's new frontier, and returns the entry's index.
It reads nothing but the locked ``LogState`` row, whatever the log's size,
and signs nothing: ``do_sign_tree_head()`` signs a head over everything
appended so far (the job queue calls it every few seconds and when asked;
the merge delay is in docs/transparency.md). Appends and signing are
serialised by a row lock on ``LogState``.

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
from django.db.backends.utils import CursorWrapper
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
    SignedTreeHead,
    decode_entry,
    encode_entry,
    iso_week,
    leaf_hash,
    make_commitment,
    sign_tree_head,
)
from safereport.core.policy import policy_hash
from safereport.transparency.models import LogEntry, LogState, MerkleNode, TreeHead
from safereport.transparency.tasks import request_tree_head


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
    """Append ``entry`` to the log and return its index; O(log n) whatever the log's size.

    Runs in the caller's transaction (it opens one only when called outside
    any), so a rollback of the caller's action removes the entry too. Raises
    ``core.ledger.EntryError`` subclasses for an entry that is not allowed.
    The entry is covered by the next head ``do_sign_tree_head`` signs.
    """
    data = encode_entry(entry)  # validates again: Entry is an allow-list
    leaf = leaf_hash(data)
    quote = connection.ops.quote_name
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        index, packed = _lock_frontier(cursor)
        frontier = Frontier.from_bytes(index, packed)
        nodes = frontier.append(leaf)
        # Plain SQL, four statements: through the ORM the same writes cost several
        # times the database's own work (bench/ledger_db_bench.py).
        cursor.execute(
            f"INSERT INTO {quote(LogEntry._meta.db_table)} "  # noqa: S608 - only placeholders and quoted names
            f"({quote('index')}, data, leaf_hash, kind, recipient_kind, month) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [
                index,
                data,
                leaf,
                str(entry.kind),
                str(entry.recipient_kind or ""),
                month_of_week(entry.week),
            ],
        )
        cursor.execute(
            f"INSERT INTO {quote(MerkleNode._meta.db_table)} (level, {quote('index')}, hash) "  # noqa: S608 - only placeholders and quoted names
            "VALUES " + ", ".join(["(%s, %s, %s)"] * len(nodes)),
            [value for node in nodes for value in (node.level, node.index, node.hash)],
        )
        cursor.execute(
            f"UPDATE {quote(LogState._meta.db_table)} SET size = %s, frontier = %s WHERE id = 1",  # noqa: S608 - only placeholders and quoted names
            [frontier.size, frontier.to_bytes()],
        )
    request_tree_head()  # the queue signs a head over it within its merge delay
    return index


def _lock_frontier(cursor: CursorWrapper) -> tuple[int, bytes]:
    """The log's size and stored frontier, the ``LogState`` row locked (made on first use)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    table = connection.ops.quote_name(LogState._meta.db_table)
    cursor.execute(f"SELECT size, frontier FROM {table} WHERE id = 1{lock}")  # noqa: S608 - a quoted name
    row = cursor.fetchone()
    if row is None:
        state = _locked_state()
        return state.size, bytes(state.frontier)
    return row[0], bytes(row[1])


def do_sign_tree_head() -> SignedTreeHead | None:
    """Sign a tree head over every entry appended so far, if the log grew since the last one.

    Returns the new head, or ``None`` when the newest head already covers the
    log (so calling it again, or from two workers at once, signs nothing
    twice: the ``LogState`` row lock orders them). The job queue calls it
    every few seconds and when asked; no person acts, so it takes no
    ``acting_user``, and the signed head is its own record.
    """
    with transaction.atomic(durable=True):
        state = _locked_state()
        signed = TreeHead.objects.order_by("-tree_size").values_list("tree_size", flat=True)
        if state.size == 0 or (signed.first() or 0) >= state.size:
            return None
        frontier = Frontier.from_bytes(state.size, state.frontier)
        timestamp = max(_now_ms(), state.last_timestamp_ms)
        sth = sign_tree_head(
            signing_key(),
            tree_size=frontier.size,
            timestamp_ms=timestamp,
            root_hash=frontier.root(),
        )
        store_tree_head(sth)
        LogState.objects.filter(id=1).update(last_timestamp_ms=timestamp)
    return sth


def store_tree_head(sth: SignedTreeHead) -> None:
    """Keep a signed tree head (this server's, or one a restore brings back from the public log)."""
    TreeHead.objects.create(
        tree_size=sth.tree_size,
        timestamp_ms=sth.timestamp_ms,
        root_hash=sth.root_hash,
        signature=sth.signature,
        key_id=sth.key_id,
    )


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
    with transaction.atomic(durable=True):
        _locked_state()  # two migrating servers record once
        if last_recorded_policy_hash() == digest:
            return None
        return append_entry(
            Entry(kind=EventKind.FIREWALL_POLICY_RECORDED, week=this_week(), policy_hash=digest)
        )
