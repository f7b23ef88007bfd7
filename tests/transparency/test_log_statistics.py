"""Differentially private statistics: noise always, budget respected, drawn once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from log_helpers import sample_entry, tamper_entry

from safereport.accounts.models import AuditEvent
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, iso_week
from safereport.core.vocabulary import OrgKind
from safereport.transparency import selectors
from safereport.transparency import statistics as sr_stats
from safereport.transparency.actions import append_entry, do_sign_tree_head
from safereport.transparency.models import LogEntry, StatisticCell

# --- months and releases ------------------------------------------------------


def test_the_budget_per_table_and_month_is_one():
    assert sr_stats.EPSILON == 1.0


def test_a_month_is_released_a_week_after_it_ends():
    assert sr_stats.last_releasable_month(dt.date(2026, 11, 21)) == "2026-10"
    assert sr_stats.last_releasable_month(dt.date(2026, 11, 7)) == "2026-09"
    assert sr_stats.last_releasable_month(dt.date(2026, 11, 8)) == "2026-10"
    assert sr_stats.months_between("2025-11", "2026-02") == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def fixed_table(counts: sr_stats.Counts) -> sr_stats.Table:
    """A table from plain (category, month) counts, like the reports-by-crime-type one."""
    return sr_stats.Table(
        "reports",
        "Reports received, by crime type",  # type: ignore[arg-type]
        "report",  # type: ignore[arg-type]
        lambda: {"domestic_abuse": "Domestic abuse", "modern_slavery": "Modern slavery"},
        lambda months: {k: v for k, v in counts.items() if k[1] in months},
    )


@pytest.mark.django_db
def test_each_finished_month_is_drawn_once_over_every_category(monkeypatch):
    append_entry(sample_entry(0, day=dt.date(2026, 8, 12)))  # the log starts in August
    counts = {("domestic_abuse", "2026-08"): 40, ("domestic_abuse", "2026-09"): 7}
    monkeypatch.setattr(sr_stats, "TABLES", (fixed_table(counts),))
    monkeypatch.setattr(sr_stats, "first_month", lambda: "2026-08")

    added = sr_stats.do_release_statistics(dt.date(2026, 11, 21))
    assert added == 2 * 3  # two categories (zeros included) x August, September, October
    cells = {(c.category, c.month): c for c in StatisticCell.objects.all()}
    assert set(cells) == {
        (c, m)
        for c in ("domestic_abuse", "modern_slavery")
        for m in ("2026-08", "2026-09", "2026-10")
    }
    assert all(c.epsilon == sr_stats.EPSILON for c in cells.values())
    first = {k: c.noisy_count for k, c in cells.items()}

    # Looking again, or later in the same month, draws nothing new: no budget spent twice.
    assert sr_stats.do_release_statistics(dt.date(2026, 11, 21)) == 0
    assert sr_stats.do_release_statistics(dt.date(2026, 11, 30)) == 0
    assert {(c.category, c.month): c.noisy_count for c in StatisticCell.objects.all()} == first

    # November is released once December is a week old, and only November is drawn.
    assert sr_stats.do_release_statistics(dt.date(2026, 12, 9)) == 2
    assert StatisticCell.objects.filter(month="2026-11").count() == 2

    # Each (table, month) drawn is an action with its audit event.
    events = AuditEvent.objects.filter(kind=EventKind.STATISTICS_RELEASED.value).order_by("id")
    assert [(e.detail["table"], e.detail["month"]) for e in events] == [
        ("reports", m) for m in ("2026-08", "2026-09", "2026-10", "2026-11")
    ]
    assert {e.detail["epsilon"] for e in events} == {sr_stats.EPSILON}


@pytest.mark.django_db
def test_log_counts_feed_the_disclosure_and_refusal_tables():
    day = dt.date(2026, 9, 16)
    for _ in range(3):
        append_entry(sample_entry(0, day=day))  # disclosure allowed, to the police
    append_entry(sample_entry(1, day=day))  # refused
    append_entry(Entry(kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=iso_week(day)))
    assert sr_stats.disclosure_counts(["2026-09"]) == {(OrgKind.POLICE_FORCE.value, "2026-09"): 3}
    assert sr_stats.firewall_counts(["2026-09"]) == {
        (EventKind.DISCLOSURE_REFUSED.value, "2026-09"): 1,
        (EventKind.IMMIGRATION_REQUEST_REFUSED.value, "2026-09"): 1,
    }
    # Nothing can be disclosed to an immigration authority; noise must never suggest it was.
    assert OrgKind.IMMIGRATION_AUTHORITY.value not in sr_stats.RECIPIENT_LABELS


def _edit_columns(index: int, **columns: str) -> None:
    """Change a row's columns behind the application's back (a superuser, on PostgreSQL)."""
    trigger = "transparency_logentry_append_only"
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE transparency_logentry DISABLE TRIGGER {trigger}")
        cursor.execute(
            f'UPDATE transparency_logentry SET {assignments} WHERE "index" = %s',  # noqa: S608 - names from this file
            [*columns.values(), index],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE transparency_logentry ENABLE TRIGGER {trigger}")


@pytest.mark.django_db
def test_editing_the_counted_columns_changes_nothing_published(client):
    day = dt.date(2026, 9, 16)
    allowed = [append_entry(sample_entry(0, day=day)) for _ in range(3)]  # to the police
    append_entry(Entry(kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=iso_week(day)))
    do_sign_tree_head()
    before = (
        sr_stats.disclosure_counts(["2026-09"]),
        sr_stats.firewall_counts(["2026-09"]),
        selectors.count_of_kind(EventKind.IMMIGRATION_REQUEST_REFUSED.value),
    )
    assert before[0] == {(OrgKind.POLICE_FORCE.value, "2026-09"): 3}
    assert before[2] == 1
    # Someone with the database relabels one disclosure as going to a legal adviser,
    # another as an immigration refusal, and moves the third to another month.
    _edit_columns(allowed[0], recipient_kind=OrgKind.LEGAL_ADVISER.value)
    _edit_columns(allowed[1], kind=EventKind.IMMIGRATION_REQUEST_REFUSED.value)
    _edit_columns(allowed[2], month="2026-08")
    after = (
        sr_stats.disclosure_counts(["2026-09"]),
        sr_stats.firewall_counts(["2026-09"]),
        selectors.count_of_kind(EventKind.IMMIGRATION_REQUEST_REFUSED.value),
    )
    assert after == before  # counted from the signed bytes, which did not change


@pytest.mark.django_db
def test_editing_the_counted_bytes_is_named_by_verify(tmp_path):
    day = dt.date(2026, 9, 16)
    allowed = [append_entry(sample_entry(0, day=day)) for _ in range(3)]
    do_sign_tree_head()
    # To change a published figure, the bytes themselves must change ...
    forged = bytes(LogEntry.objects.get(index=allowed[1]).data).replace(
        b'"recipient_kind":"police_force"', b'"recipient_kind":"legal_adviser"'
    )
    tamper_entry(allowed[1], forged)
    assert sr_stats.disclosure_counts(["2026-09"]) == {
        (OrgKind.POLICE_FORCE.value, "2026-09"): 2,
        (OrgKind.LEGAL_ADVISER.value, "2026-09"): 1,
    }
    # ... and then verify names the entry.
    export = tmp_path / "log.jsonl"
    call_command("ledger", "export", str(export), stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "--export", str(export), "--quiet", stdout=out)
    assert f"FAIL entry {allowed[1]}: entry {allowed[1]} does not hash" in out.getvalue()


@pytest.mark.django_db
def test_the_page_shows_only_stored_noisy_counts_with_a_plot(client):
    StatisticCell.objects.create(
        table="disclosures", category="police_force", month="2026-09", noisy_count=4321, epsilon=1
    )
    StatisticCell.objects.create(
        table="disclosures", category="legal_adviser", month="2026-09", noisy_count=1234, epsilon=1
    )
    published = {t.key: t for t in sr_stats.published()}
    table = published["disclosures"]
    assert table.months == ["2026-09"]
    assert ("Police", [4321]) in table.rows
    assert table.chart_url.startswith("/transparency/charts/")
    response = client.get("/en/transparency/")
    html = response.content.decode()
    assert "4321" in html and "1234" in html
    assert f'src="{table.chart_url}"' in html
    assert "data:image" not in html  # the page links its charts; it does not carry them
    assert "ε = 1.0" in html


@pytest.mark.django_db
def test_reports_are_counted_by_crime_type_and_month(personas):
    from sr_testing.personas import submit_report

    for _ in range(2):
        submit_report(personas.support_org)
    month = sr_stats.month_key(dt.datetime.now(dt.UTC).date())
    assert sr_stats.report_counts([month]) == {("domestic_abuse", month): 2}
    assert "domestic_abuse" in sr_stats.crime_type_labels()
    assert sr_stats.report_counts(["2001-01"]) == {}
