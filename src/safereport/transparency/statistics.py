"""Public statistics, released with differential privacy (docs/transparency.md §12).

Four tables, each counted by month from plain ``(category, month)`` counts:

* ``disclosures``: disclosures allowed, by kind of recipient (log entries);
* ``firewall``: disclosures refused by the firewall, referrals sent, and
  requests from immigration authorities refused (log entries);
* ``matching``: details named for matching and matches found (the matching
  escrow's log entries, ``matching_entry_added`` and ``match_found``: their
  kind and week are all the log holds, so never by identifier or organisation);
* ``reports``: reports received, by crime type (``cases.Report``, when that
  model exists; until then the table is empty).

Log entries are counted from their own bytes (the bytes the tree hashes and
the heads sign), never from the ``kind``/``recipient_kind``/``month`` columns:
a database edit either changes the bytes, which ``ledger verify`` names, or
changes nothing published. An entry is dated by its ISO week, and a week
counts in the month of its Thursday (``actions.month_of_week``).

A month is released once, after it has ended (and a week more, for entries
dated by ISO week), with ``EPSILON`` per table and month
(``core.privacy.noisy_counts``). The noisy numbers are stored in
``StatisticCell`` and shown from there for ever after: looking again spends
nothing, and no exact count is ever shown by these tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safereport.accounts.actions import record_event
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, EntryError, decode_entry
from safereport.core.privacy import noisy_counts
from safereport.core.vocabulary import OrgKind
from safereport.transparency import charts, selectors
from safereport.transparency.actions import _locked_state, month_of_week
from safereport.transparency.models import LogEntry, StatisticCell

EPSILON = 1.0  # per table and month
RELEASE_DELAY_DAYS = 7  # a month is released this long after it ends
Counts = dict[tuple[str, str], int]

RECIPIENT_LABELS: dict[str, Promise] = {
    OrgKind.SUPPORT_ORG.value: _("Support organisations"),
    OrgKind.POLICE_FORCE.value: _("Police"),
    OrgKind.SPECIALIST_SERVICE.value: _("Specialist services"),
    OrgKind.LEGAL_ADVISER.value: _("Legal advisers"),
    OrgKind.LABOUR_RIGHTS.value: _("Labour-rights organisations"),
    OrgKind.OVERSIGHT.value: _("Oversight bodies"),
    # Not a category: nothing can be disclosed to an immigration authority, and
    # noise must never make it look as if something was.
}
FIREWALL_LABELS: dict[str, Promise] = {
    EventKind.DISCLOSURE_REFUSED.value: _("Disclosures refused by the firewall"),
    EventKind.REFERRAL_SENT.value: _("Referrals sent"),
    EventKind.IMMIGRATION_REQUEST_REFUSED.value: _("Immigration-authority requests refused"),
}
# The matching escrow's public entries (docs/matching.md): only their kind and
# week exist in the log, so nothing here can be by identifier, kind of
# identifier or organisation.
MATCHING_LABELS: dict[str, Promise] = {
    EventKind.MATCHING_ENTRY_ADDED.value: _("Details named for matching"),
    EventKind.MATCH_FOUND.value: _("Matches found"),
}


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = (int(p) for p in first.split("-"))
    end = tuple(int(p) for p in last.split("-"))
    found = []
    while (year, month) <= end:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def last_releasable_month(today: dt.date) -> str | None:
    """The newest month that ended at least ``RELEASE_DELAY_DAYS`` ago."""
    last_of_previous = today.replace(day=1) - dt.timedelta(days=1)
    if (today - last_of_previous).days <= RELEASE_DELAY_DAYS:
        last_of_previous = last_of_previous.replace(day=1) - dt.timedelta(days=1)
    return month_key(last_of_previous)


SCAN_PAGE = 1000


def _entries_newest_first(before: int) -> Iterator[Entry]:
    """Decoded entries below index ``before``, newest first, in keyset pages."""
    while rows := list(
        LogEntry.objects.filter(index__lt=before)
        .order_by("-index")
        .values_list("index", "data")[:SCAN_PAGE]
    ):
        for _index, data in rows:
            try:
                yield decode_entry(bytes(data))
            except EntryError:
                continue  # a changed entry counts for nothing; verify names it
        before = rows[-1][0]


def _log_counts(kinds: Sequence[str], by_recipient: bool, months: Sequence[str]) -> Counts:
    """Count entries of ``kinds`` in ``months`` from the entries' own bytes.

    Entries are dated by the week they were appended in, so the log runs in
    time order; the scan goes back from the newest entry and stops after a
    whole page older than the oldest month wanted.
    """
    if not months:
        return {}
    wanted, oldest = set(kinds), min(months)
    counts: Counts = {}
    older_in_a_row = 0
    for entry in _entries_newest_first(selectors.appended_size()):
        month = month_of_week(entry.week)
        if month < oldest:
            older_in_a_row += 1
            if older_in_a_row >= SCAN_PAGE:
                break
            continue
        older_in_a_row = 0
        if entry.kind in wanted and month in months:
            category = str(entry.recipient_kind or "") if by_recipient else str(entry.kind)
            counts[(category, month)] = counts.get((category, month), 0) + 1
    return counts


def disclosure_counts(months: Sequence[str]) -> Counts:
    return _log_counts([EventKind.DISCLOSURE_ALLOWED.value], True, months)


def firewall_counts(months: Sequence[str]) -> Counts:
    return _log_counts(list(FIREWALL_LABELS), False, months)


def matching_counts(months: Sequence[str]) -> Counts:
    return _log_counts(list(MATCHING_LABELS), False, months)


def _report_model() -> type | None:
    try:
        return apps.get_model("cases", "Report")
    except LookupError:
        return None


def crime_type_labels() -> dict[str, Promise | str]:
    model = _report_model()
    if model is None:
        return {}
    return {str(value): label for value, label in model._meta.get_field("crime_type").choices}


def report_counts(months: Sequence[str]) -> Counts:
    model = _report_model()
    if model is None or not months:
        return {}
    start = dt.datetime.fromisoformat(months[0] + "-01").replace(tzinfo=dt.UTC)
    rows = (
        model.objects.filter(created_at__gte=start)  # type: ignore[attr-defined]
        .annotate(m=TruncMonth("created_at", tzinfo=dt.UTC))
        .values("crime_type", "m")
        .annotate(n=Count("pk"))
    )
    wanted = set(months)
    counts: Counts = {}
    for row in rows:
        month = month_key(row["m"])
        if month in wanted:
            counts[(row["crime_type"], month)] = row["n"]
    return counts


@dataclass(frozen=True)
class Table:
    key: str
    title: Promise
    unit: Promise  # what one count counts: the unit of privacy
    labels: Callable[[], dict[str, Promise | str]]
    exact: Callable[[Sequence[str]], Counts]


TABLES = (
    Table(
        "disclosures",
        _("Disclosures allowed, by kind of recipient"),
        _("log entry"),
        lambda: dict(RECIPIENT_LABELS),
        disclosure_counts,
    ),
    Table(
        "firewall",
        _("Refusals and referrals"),
        _("log entry"),
        lambda: dict(FIREWALL_LABELS),
        firewall_counts,
    ),
    Table(
        "matching",
        _("Matching: details named and matches found"),
        _("log entry"),
        lambda: dict(MATCHING_LABELS),
        matching_counts,
    ),
    Table(
        "reports",
        _("Reports received, by crime type"),
        _("report"),
        crime_type_labels,
        report_counts,
    ),
)


def first_month() -> str | None:
    """The month of the log's first entry (from its bytes): the service's start."""
    first = LogEntry.objects.filter(index=0).values_list("data", flat=True).first()
    if first is None:
        return None
    try:
        return month_of_week(decode_entry(bytes(first)).week)
    except EntryError:
        return None


def do_release_statistics(today: dt.date | None = None, *, acting_user: None = None) -> int:
    """Release every finished month not yet released; return how many cells were added.

    Each (table, month) is drawn once, over all its categories, spending
    ``EPSILON``, and stored in its own transaction with a
    ``statistics_released`` audit event; what is stored is never drawn
    again. Nobody acts (the public page and the job queue call it), so
    ``acting_user`` is always ``None``, and every caller may.
    """
    today = today or timezone.now().astimezone(dt.UTC).date()
    start, end = first_month(), last_releasable_month(today)
    if start is None or end is None or end < start:
        return 0
    months = months_between(start, end)
    added = 0
    for table in TABLES:
        categories = sorted(table.labels())
        if not categories:
            continue
        done = set(
            StatisticCell.objects.filter(table=table.key, month__in=months)
            .values_list("month", flat=True)
            .distinct()
        )
        pending = [m for m in months if m not in done]
        if not pending:
            continue
        exact = table.exact(pending)
        for month in pending:
            added += _release_month(table.key, categories, month, exact)
    return added


def _release_month(table: str, categories: list[str], month: str, exact: Counts) -> int:
    values = noisy_counts([exact.get((c, month), 0) for c in categories], EPSILON)
    try:
        with transaction.atomic(durable=True):
            _locked_state()  # one releaser at a time
            if StatisticCell.objects.filter(table=table, month=month).exists():
                return 0  # another process released it first; keep its draw
            StatisticCell.objects.bulk_create(
                StatisticCell(table=table, category=c, month=month, noisy_count=v, epsilon=EPSILON)
                for c, v in zip(categories, values, strict=True)
            )
            record_event(
                EventKind.STATISTICS_RELEASED,
                table=table,
                month=month,
                epsilon=EPSILON,
                cells=len(categories),
            )
    except IntegrityError:
        return 0
    return len(categories)


@dataclass(frozen=True)
class Published:
    key: str
    title: str
    unit: str
    months: list[str]
    rows: list[tuple[str, list[int]]]  # (category label, noisy count per month)
    chart_url: str  # /transparency/charts/<key>.png, or "" when there is nothing to plot

    @property
    def empty(self) -> bool:
        return not self.months


def published() -> list[Published]:
    """What the public page shows: the stored noisy counts, nothing else,
    and the URL of each table's chart (drawn and stored if no process has yet)."""
    found = []
    for table in TABLES:
        cells = StatisticCell.objects.filter(table=table.key).values_list(
            "category", "month", "noisy_count"
        )
        grid: dict[str, dict[str, int]] = {}
        months: set[str] = set()
        for category, month, value in cells:
            grid.setdefault(category, {})[month] = value
            months.add(month)
        ordered = sorted(months)
        counts = [(c, [grid[c].get(m, 0) for m in ordered]) for c in sorted(grid)]
        found.append((table, ordered, counts))
    plotted = [(table, months, counts) for table, months, counts in found if months]
    urls = dict(
        zip(
            [table.key for table, _months, _counts in plotted],
            charts.chart_urls([_drawing(*p) for p in plotted]),
            strict=True,
        )
    )
    return [
        Published(
            key=table.key,
            title=str(table.title),
            unit=str(table.unit),
            months=months,
            rows=_labelled(table, counts),
            chart_url=urls.get(table.key, ""),
        )
        for table, months, counts in found
    ]


def _labelled(table: Table, counts: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    labels = table.labels()
    return [(str(labels.get(category, category)), values) for category, values in counts]


def _drawing(
    table: Table, months: list[str], counts: list[tuple[str, list[int]]]
) -> charts.Drawing:
    # Matplotlib neither joins Arabic letters nor lays text out right to left,
    # so charts on right-to-left pages carry English labels; the table below
    # each chart gives the same numbers in the page's language.
    language = "en" if translation.get_language_bidi() else translation.get_language()
    with translation.override(language):
        return charts.Drawing(
            title=str(table.title),
            months=tuple(months),
            rows=tuple((label, tuple(values)) for label, values in _labelled(table, counts)),
            ylabel=gettext("Count (with noise)"),
        )
