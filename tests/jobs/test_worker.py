"""Every kind of task, run by a real worker process on the real database.

The worker is ``safereport worker`` started by the ``start_worker`` fixture,
on an SQLite queue file or on Redis (database 5), against this test's
database; mail goes to the real SMTP server of tests/sr_testing/mail.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safereport.accounts import tasks as account_tasks
from safereport.accounts.models import AuditEvent, Organisation
from safereport.accounts.notify import SUBJECTS, Notice, message_for, notify
from safereport.core.events import EventKind
from safereport.core.ledger import (
    Entry,
    Frontier,
    iso_week,
    verify_tree_head,
)
from safereport.core.vocabulary import OrgKind
from safereport.transparency import selectors
from safereport.transparency import tasks as log_tasks
from safereport.transparency.actions import (
    DatabaseNodes,
    append_entry,
    month_of_week,
    verify_key,
)
from safereport.transparency.models import StatisticCell
from sr_testing.personas import sign_in
from sr_testing.worker import executed, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_the_worker_sends_a_notification_once_the_action_commits(smtp_server, start_worker, queue):
    worker = start_worker(queue)
    org = Organisation.objects.create(
        name="Harbour Test Service",
        slug="harbour-test",
        kind=OrgKind.SPECIALIST_SERVICE.value,
        contact_email="referrals@harbour.example",
    )
    with transaction.atomic():
        assert notify(org, Notice.NEW_REFERRAL, "/staff/referrals/7/") is True
    wait_for(lambda: smtp_server.messages, "send the notification", worker)

    message = smtp_server.messages[0]
    assert message["Subject"] == SUBJECTS[Notice.NEW_REFERRAL]
    assert smtp_server.recipients == [["referrals@harbour.example"]]
    body = smtp_server.bodies()[0].replace("\r\n", "\n")
    assert body == message_for(Notice.NEW_REFERRAL, "/staff/referrals/7/")[1]
    worker.stop()
    assert "harbour.example" not in worker.log()  # the address is in no log line
    assert len(smtp_server.messages) == 1


def test_the_worker_releases_the_statistics_of_a_finished_month(start_worker):
    # A service that started 70 days ago: an empty log (without the firewall policy
    # entry each test's database starts with) whose first entry is that old.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    worker = start_worker("redis")
    long_ago = timezone.now().date() - dt.timedelta(days=70)  # in a month that has ended
    append_entry(Entry(kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=iso_week(long_ago)))
    assert not StatisticCell.objects.exists()

    log_tasks.release_statistics()  # what the hourly schedule does
    # Each month is released in its own transaction: read the cells once the run
    # has finished, not at the first month's.
    runs = wait_for(lambda: executed(worker, "release_statistics"), "finish the release", worker)
    cells = list(StatisticCell.objects.filter(table="firewall"))
    assert {c.month for c in cells} >= {month_of_week(iso_week(long_ago))}
    drawn = {(c.category, c.month): c.noisy_count for c in cells}

    log_tasks.release_statistics()  # idempotent: a released month is never drawn again
    wait_for(lambda: executed(worker, "release_statistics") > runs, "run it again", worker)
    assert {
        (c.category, c.month): c.noisy_count for c in StatisticCell.objects.filter(table="firewall")
    } == drawn


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_the_worker_signs_a_head_when_the_log_has_grown(start_worker, queue):
    worker = start_worker(queue)
    with transaction.atomic():
        index = append_entry(
            Entry(kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=iso_week(timezone.now()))
        )
        size = index + 1
        # Appends sign nothing; the request reaches the worker when this commits.
        assert selectors.tree_head_of_size(size) is None
    head = wait_for(lambda: selectors.tree_head_of_size(size), "sign a tree head", worker)
    verify_tree_head(head, verify_key())
    assert head.head.root_hash == Frontier.load(DatabaseNodes(), size).root()


def test_a_task_that_fails_for_good_is_recorded_and_shown_to_the_admin(
    client, personas, settings, start_worker
):
    settings.EMAIL_PORT = 9  # the discard port: no mail server listens there
    worker = start_worker("sqlite")
    org = personas.support_org
    org.contact_email = "office@support.example"
    org.save()

    account_tasks.send_notification(
        organisation_id=org.pk,
        notice=Notice.POLICE_UPDATE.value,
        path="/staff/police/1/",
        retries=1,  # one retry after one second, instead of five over half an hour
        retry_delay=1,
    )
    failed = wait_for(
        lambda: list(AuditEvent.objects.filter(kind=EventKind.JOB_FAILED.value)),
        "give the notification up",
        worker,
    )
    worker.stop()
    log = worker.log()
    assert log.count("could not be sent") == 2  # tried, retried once, then given up
    assert "support.example" not in log
    assert len(failed) == 1  # recorded once, when no retry was left
    assert failed[0].organisation == org
    assert failed[0].detail == {"task": "send_notification", "error": "NotificationNotSent"}

    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:organisation")).content.decode()
    assert "Background work that failed" in page
    assert "send_notification" in page
    assert "NotificationNotSent" in page
    assert "support.example" not in page
