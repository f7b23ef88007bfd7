"""The transparency log's tables: entries, Merkle nodes, signed tree heads, statistics.

The first three are append-only: entries and nodes are inserted by
``safereport.transparency.actions.append_entry``, heads by
``do_sign_tree_head``, and never changed. On PostgreSQL triggers refuse
UPDATE and DELETE (migration 0002) and TRUNCATE (migration 0003) on them; on
every database a changed row makes ``safereport ledger verify`` fail and name
the entry. ``LogState`` is the one row that holds the current tree size and
its frontier; its row lock serialises appends and signing.
"""

from __future__ import annotations

from django.db import models


class LogState(models.Model):
    """The single row (``id = 1``) holding the current tree size; locked to append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    # core.ledger.Frontier.to_bytes() of the tree of `size` leaves: an append reads nothing else.
    frontier = models.BinaryField(default=b"")
    # The newest head's timestamp: heads never go back in time, even if the clock does.
    last_timestamp_ms = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="transparency_logstate_one_row")
        ]


class LogEntry(models.Model):
    """Leaf ``index`` of the tree: the canonical entry bytes and their leaf hash.

    ``kind``, ``recipient_kind`` and ``month`` repeat what the bytes say, to find entries with
    an index; the bytes are what is hashed, published, verified and counted (statistics
    decode them), and ``safereport ledger check-columns`` names a row whose columns differ.
    """

    index = models.BigIntegerField(primary_key=True)
    data = models.BinaryField()  # core.ledger.encode_entry output
    leaf_hash = models.BinaryField(max_length=32)  # SHA-256(0x00 || data)
    kind = models.CharField(max_length=64, db_index=True)
    recipient_kind = models.CharField(max_length=32, blank=True)
    month = models.CharField(max_length=7)  # "YYYY-MM" of the ISO week's Thursday

    class Meta:
        ordering = ["index"]


class MerkleNode(models.Model):
    """Node ``(level, index)``: the root of the perfect subtree over its leaves."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "index"], name="transparency_node_position")
        ]


class TreeHead(models.Model):
    """A signed tree head: ``do_sign_tree_head`` adds one when the log has grown."""

    tree_size = models.BigIntegerField(unique=True)
    timestamp_ms = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    signature = models.BinaryField(max_length=64)
    key_id = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["tree_size"]


class StatisticCell(models.Model):
    """One released, noisy count: drawn once, stored, and shown for ever after.

    A count is released only for a finished month and never re-drawn, so
    looking at the page again spends no more privacy budget.
    """

    table = models.CharField(max_length=64)
    category = models.CharField(max_length=64)
    month = models.CharField(max_length=7)  # "YYYY-MM"
    noisy_count = models.IntegerField()
    epsilon = models.FloatField()
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table", "month", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "category", "month"], name="transparency_statistic_cell"
            )
        ]


class StatisticChart(models.Model):
    """A statistics chart's PNG, drawn once and served at ``/transparency/charts/<key>.png``.

    ``key`` is the SHA-256 of what was drawn (title, months, labels, noisy
    counts, axis label), so the bytes at a URL never change and every process
    finds the chart another drew. Only released, noisy numbers go in: nothing
    here is personal. ``used_at`` is renewed whenever a page is rendered with
    it; charts no page has used for a while are removed (``charts.py``).
    """

    key = models.CharField(max_length=64, unique=True)
    png = models.BinaryField()
    used_at = models.DateTimeField()
