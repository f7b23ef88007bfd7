"""A restore may read the public log from the live site instead of an export."""

from __future__ import annotations

import pytest

from safereport.backups import archive
from safereport.cases.actions import do_shred_report
from safereport.core.events import EventKind
from safereport.core.ledger import decode_entry
from safereport.transparency import selectors
from safereport.transparency.actions import do_sign_tree_head
from sr_testing.reports import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _delete_one(personas):  # type: ignore[no-untyped-def]
    report, _ = submit(personas)
    do_shred_report(report, acting_user=None)
    do_sign_tree_head()
    return selectors.latest_tree_head()


def test_the_live_sites_log_gives_the_deletions_since_the_saved_head(personas, live_server):  # type: ignore[no-untyped-def]
    saved = _delete_one(personas)
    latest = _delete_one(personas)
    public = archive.read_public_log(live_server.url + "/", saved=saved, start=saved.tree_size)
    assert public.latest == latest
    assert [decode_entry(data).kind for data in public.after] == [EventKind.REPORT_DELETION]


def test_a_site_whose_log_lost_the_saved_head_is_refused(personas, live_server):  # type: ignore[no-untyped-def]
    saved = _delete_one(personas)
    with pytest.raises(archive.RestoreRefused, match="does not verify"):
        # a head larger than anything the site serves: entries were removed
        archive.read_public_log(live_server.url, saved=_bigger(saved), start=0)


def _bigger(head):  # type: ignore[no-untyped-def]
    from safereport.core.ledger import sign_tree_head
    from safereport.transparency.actions import signing_key

    return sign_tree_head(
        signing_key(),
        tree_size=head.tree_size + 5,
        timestamp_ms=head.timestamp_ms + 1,
        root_hash=head.root_hash,
    )
