"""The queue's schedule, and who sees a task that failed for good (no worker needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from safereport.accounts import tasks as account_tasks
from safereport.accounts.actions import do_record_job_failure
from safereport.accounts.models import AuditEvent
from safereport.accounts.selectors import failed_jobs_for
from safereport.core.events import EventKind
from safereport.core.ledger import Entry, iso_week
from safereport.jobs.queue import huey
from safereport.transparency.actions import append_entry, do_sign_tree_head
from safereport.transparency.models import TreeHead
from sr_testing.personas import sign_in


def _due(at: dt.datetime) -> set[str]:
    autodiscover_modules("tasks")  # every app's tasks, as ``safereport worker`` loads them
    return {task.name for task in huey.read_periodic(at)}


def test_tree_heads_are_checked_every_minute_and_statistics_every_hour():
    on_the_hour = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    # every 10 minutes: unread reports are escalated (cases.tasks.escalate_unread)
    assert _due(on_the_hour) == {"sign_tree_head", "escalate_unread"}
    assert _due(on_the_hour.replace(minute=1)) == {"sign_tree_head"}
    # hourly at :17: statistics, and legal-deadline reminders (referrals.tasks)
    assert _due(on_the_hour.replace(minute=17)) == {
        "sign_tree_head",
        "release_statistics",
        "remind_legal_deadlines",
    }
    assert {
        at.hour
        for at in (on_the_hour + dt.timedelta(minutes=m) for m in range(24 * 60))
        if "release_statistics" in _due(at)
    } == set(range(24))
    assert account_tasks.send_notification.task_class.default_retries == 5  # mail is retried


@pytest.mark.django_db
def test_a_head_is_signed_only_when_the_log_has_grown():
    do_sign_tree_head()  # whatever the migration appended
    assert do_sign_tree_head() is None  # nothing new since
    size = (
        append_entry(
            Entry(kind=EventKind.IMMIGRATION_REQUEST_REFUSED, week=iso_week(timezone.now()))
        )
        + 1
    )
    signed = do_sign_tree_head()  # appends sign nothing: this signs over the new entry
    assert signed is not None and signed.head.tree_size == size
    heads = TreeHead.objects.count()
    assert do_sign_tree_head() is None  # the head covers the log already
    assert TreeHead.objects.count() == heads


@pytest.mark.django_db
def test_an_admin_sees_their_organisations_failures_and_the_services_own(client, personas):
    mine = do_record_job_failure(
        task="send_notification",
        error="NotificationNotSent",
        organisation_id=personas.support_org.pk,
    )
    theirs = do_record_job_failure(
        task="send_notification",
        error="NotificationNotSent",
        organisation_id=personas.other_support_org.pk,
    )
    service = do_record_job_failure(
        task="sign_tree_head", error="OperationalError", organisation_id=None
    )
    assert AuditEvent.objects.get(pk=theirs.pk).kind == EventKind.JOB_FAILED.value
    assert set(failed_jobs_for(personas.org_admin)) == {mine, service}

    sign_in(client, personas.org_admin)
    page = client.get(reverse("staff:organisation")).content.decode()
    assert "sign_tree_head" in page
    assert "OperationalError" in page
    assert page.count("NotificationNotSent") == 1  # only their own organisation's


@pytest.mark.django_db
def test_a_failure_in_immediate_mode_is_recorded_once_no_retry_is_left(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens
    org = personas.support_org
    org.contact_email = "office@support.example"
    org.save()
    account_tasks.send_notification(
        organisation_id=org.pk, notice="police_update", path="/staff/", retries=2
    )
    assert not AuditEvent.objects.filter(kind=EventKind.JOB_FAILED.value).exists()  # will retry
    account_tasks.send_notification(
        organisation_id=org.pk, notice="police_update", path="/staff/", retries=0
    )
    failed = AuditEvent.objects.get(kind=EventKind.JOB_FAILED.value)
    assert failed.organisation == org
    assert failed.detail == {"task": "send_notification", "error": "NotificationNotSent"}
