"""The reporter's check: their own entries, found by commitment, proven in the signed log."""

from __future__ import annotations

import dataclasses
import os

import pytest
from django.template.loader import render_to_string
from log_helpers import sample_entry, tamper_entry
from nacl.public import PrivateKey

from safereport.core.crypto import UnlockedReport
from safereport.core.events import EventKind
from safereport.core.ledger import Decision, decode_entry, encode_entry
from safereport.transparency import selectors
from safereport.transparency.actions import (
    append_entry,
    commitment_for_key,
    do_sign_tree_head,
    report_commitment,
)
from safereport.transparency.reporter import (
    EntryCheck,
    check_report_entries,
    find_report_entries,
)
from safereport.transparency.selectors import entry_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> UnlockedReport:
    return UnlockedReport("r-test-1", PrivateKey.generate())


def test_each_entry_of_the_report_is_proven_in_the_signed_log(report):
    key = report.ledger_commitment_key()
    ours = [append_entry(sample_entry(i, commitment=report_commitment(report))) for i in range(3)]
    other = append_entry(sample_entry(0, commitment=commitment_for_key(os.urandom(32))))
    append_entry(sample_entry(1))  # no commitment at all
    ours.append(append_entry(sample_entry(3, commitment=report_commitment(report))))
    do_sign_tree_head()

    checked = check_report_entries(key, ours)
    assert checked.head_verified
    assert checked.all_included
    assert [e.index for e in checked.entries] == ours
    assert all(e.status is EntryCheck.INCLUDED for e in checked.entries)
    assert all(e.tree_size == checked.tree_head.tree_size for e in checked.entries)  # type: ignore[union-attr]
    assert all(e.proof_length > 0 for e in checked.entries)

    # Only the report's key recognises its entries; the log scan finds exactly them.
    assert find_report_entries(key) == ours
    not_ours = check_report_entries(key, [other])
    assert not_ours.entries[0].status is EntryCheck.NOT_THIS_REPORT
    assert not not_ours.all_included
    assert check_report_entries(key, [10**9]).entries[0].status is EntryCheck.NOT_IN_LOG


def test_a_changed_entry_no_longer_proves(report):
    index = append_entry(sample_entry(0, commitment=report_commitment(report)))
    append_entry(sample_entry(1))
    do_sign_tree_head()
    # Same commitment, opposite decision: the reporter's key still recognises it...
    original = decode_entry(entry_data(index))  # type: ignore[arg-type]
    changed = dataclasses.replace(
        original, kind=EventKind.DISCLOSURE_REFUSED, decision=Decision.DENY
    )
    tamper_entry(index, encode_entry(changed))
    result = check_report_entries(report.ledger_commitment_key(), [index])
    # ...but its proof against the signed root fails, and the page says so.
    assert result.entries[0].status is EntryCheck.PROOF_FAILED
    assert not result.all_included
    html = render_to_string("transparency/_your_entries.html", {"checked": result})
    assert "could not prove that every decision about your report is in the public log" in html


def test_the_fragment_says_what_was_checked(report):
    key = report.ledger_commitment_key()
    indexes = [
        append_entry(sample_entry(i, commitment=report_commitment(report))) for i in range(2)
    ]
    do_sign_tree_head()
    html = render_to_string(
        "transparency/_your_entries.html", {"checked": check_report_entries(key, indexes)}
    )
    assert "each of these 2 decisions about your report is in the public log" in html
    assert html.count("In the log (proof checked against the signed log of") == 2
    empty = render_to_string(
        "transparency/_your_entries.html", {"checked": check_report_entries(key, [])}
    )
    assert "has no entries in the log" in empty


def test_an_entry_waits_to_be_included_until_a_signed_head_covers_it(report):
    key = report.ledger_commitment_key()
    first = append_entry(sample_entry(0, commitment=report_commitment(report)))
    do_sign_tree_head()
    second = append_entry(sample_entry(1, commitment=report_commitment(report)))

    waiting = check_report_entries(key, [first, second])
    assert [e.status for e in waiting.entries] == [EntryCheck.INCLUDED, EntryCheck.WAITING]
    assert waiting.waiting and not waiting.all_included
    assert waiting.entries[1].proof_length == 0  # no proof shown before a head covers it
    html = render_to_string("transparency/_your_entries.html", {"checked": waiting})
    assert "Waiting to be included" in html
    assert "could not prove" not in html

    head = do_sign_tree_head()
    assert head is not None and head.tree_size > second
    covered = check_report_entries(key, [first, second])
    assert covered.all_included and not covered.waiting
    assert all(e.tree_size == head.tree_size for e in covered.entries)
    html = render_to_string("transparency/_your_entries.html", {"checked": covered})
    assert "Waiting to be included" not in html
    assert "each of these 2 decisions about your report is in the public log" in html


def test_before_any_signed_head_every_entry_waits(report):
    assert selectors.latest_tree_head() is None  # migrate appends the policy entry, signs nothing
    index = append_entry(sample_entry(0, commitment=report_commitment(report)))
    checked = check_report_entries(report.ledger_commitment_key(), [index])
    assert checked.tree_head is None
    assert [e.status for e in checked.entries] == [EntryCheck.WAITING]
    assert checked.waiting
