"""E-mail notifications to organisations: a fixed sentence and a sign-in link.

A notification never carries personal data: no names, no report content, no
crime type, not even which organisation sent something (a by-and-for
organisation's name can say who a person is). The text comes from a fixed
table, so nothing a reporter or caseworker wrote can reach a mail. The link
holds only a database number. When the transaction commits, the mail is
queued for the worker (``accounts.tasks.send_notification``), which sends it to
the organisation's contact address and retries for about half an hour; a
mail that cannot be sent is logged (without the address), and one that
fails for good is shown to the organisation's admins. It never undoes the
action, which is already recorded and visible when staff sign in.
"""

from __future__ import annotations

import functools
import logging
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from safereport.accounts.models import AlertsBy, Organisation, SentAlert, StaffUser
from safereport.accounts.tasks import send_notification, send_staff_alert

logger = logging.getLogger(__name__)


class Notice(StrEnum):
    NEW_REFERRAL = "new_referral"
    REFERRAL_UPDATED = "referral_updated"
    NEW_POLICE_PACKAGE = "new_police_package"
    POLICE_QUESTION = "police_question"
    POLICE_ANSWER = "police_answer"
    POLICE_UPDATE = "police_update"
    RETENTION_DUE_SOON = "retention_due_soon"


SUBJECTS: dict[Notice, str] = {
    Notice.NEW_REFERRAL: "SafeReport: you have a new referral",
    Notice.REFERRAL_UPDATED: "SafeReport: a referral you sent has changed",
    Notice.NEW_POLICE_PACKAGE: "SafeReport: you have a new package",
    Notice.POLICE_QUESTION: "SafeReport: the police have asked a question",
    Notice.POLICE_ANSWER: "SafeReport: your question has an answer",
    Notice.POLICE_UPDATE: "SafeReport: the police posted an update",
    Notice.RETENTION_DUE_SOON: "SafeReport: a closed case is due to be deleted soon",
}

BODY = (
    "{subject_line}.\n\n"
    "Sign in to SafeReport to read it:\n{link}\n\n"
    "This message holds no details on purpose. Do not reply to it.\n"
)


def message_for(notice: Notice, path: str) -> tuple[str, str]:
    """The subject and body of a notification; ``path`` is a site path such as
    ``/staff/referrals/12/`` (it must hold no personal data)."""
    if not path.startswith("/"):
        raise ValueError("a notification link is a path on this site")
    subject = SUBJECTS[Notice(notice)]
    link = settings.SITE_URL.rstrip("/") + path
    return subject, BODY.format(
        subject_line=subject.removeprefix("SafeReport: ").capitalize(), link=link
    )


def notify(organisation: Organisation, notice: Notice, path: str) -> bool:
    """Queue ``notice`` for ``organisation``'s contact address once the current
    transaction commits. Returns False (and queues nothing) without an address."""
    if not organisation.contact_email:
        return False
    message_for(notice, path)  # a bad path fails the action now, not the worker later
    transaction.on_commit(
        functools.partial(
            send_notification, organisation_id=organisation.pk, notice=notice.value, path=path
        ),
        robust=True,  # a queue that cannot be reached does not fail the committed action
    )
    return True


class NotificationNotSent(Exception):
    """Sending failed; the message is only the type of the error (an SMTP error can
    quote the address), so logs and the audit row hold nothing more."""


def deliver(organisation_id: int, notice: str, path: str) -> None:
    """Send one notification now (the queue's ``send_notification`` task). The address
    is read at sending time, so the queue never holds it."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not organisation.contact_email:
        return  # gone, or its address removed since: nobody to tell
    subject, body = message_for(Notice(notice), path)
    _send(subject, body, organisation.contact_email, what=f"notification {notice}")


def _send(subject: str, body: str, address: str, *, what: str) -> None:
    """Send one fixed text; on failure log ``what`` (never the address) and raise."""
    try:
        send_mail(subject, body, None, [address], fail_silently=False)
    except Exception as error:
        logger.warning("%s could not be sent", what)
        raise NotificationNotSent(type(error).__name__) from None


# Alerts to one staff member's own address ----------------------------------------
# Same rules: a fixed text and a path, the address read when sending. They say
# that something happened, never to whom or from where: the account is named
# only on the organisation page, after signing in.


_NO_DETAILS = "This message holds no details on purpose. Do not reply to it.\n"


class StaffAlert(StrEnum):
    PASSWORDS_GUESSED_YOURS = "passwords_guessed_yours"
    PASSWORDS_GUESSED_COLLEAGUE = "passwords_guessed_colleague"
    CASE_DUE_FOR_DELETION = "case_due_for_deletion"
    # Casework alerts (docs/casework.md): each links to the staff home's list.
    NEW_REPORT = "new_report"
    REPORTER_MESSAGE = "reporter_message"
    OVERRIDE_WAITING = "override_waiting"
    LEGAL_DEADLINE_WEEK = "legal_deadline_week"
    LEGAL_DEADLINE_DAY = "legal_deadline_day"
    REPORT_UNREAD = "report_unread"
    # Matching (docs/matching.md): never which report, organisation or identifier.
    MATCH_FOUND = "match_found"
    MATCH_AGREED = "match_agreed"


STAFF_ALERTS: dict[StaffAlert, tuple[str, str]] = {
    StaffAlert.PASSWORDS_GUESSED_YOURS: (
        "SafeReport: someone is trying passwords for your account",
        "Someone has typed several wrong passwords for your SafeReport account.\n\n"
        "Your password and a code from your authenticator app (or a backup code) "
        "still sign you in:\n{link}\n\n"
        "If this was not you, tell your organisation admin, and change your password "
        "once you are signed in. This message holds no details on purpose. "
        "Do not reply to it.\n",
    ),
    StaffAlert.PASSWORDS_GUESSED_COLLEAGUE: (
        "SafeReport: someone is trying passwords for an account of your organisation",
        "Someone has typed several wrong passwords for a SafeReport account of your "
        "organisation.\n\n"
        "Sign in to see which account, under recent events:\n{link}\n\n"
        "This message holds no details on purpose. Do not reply to it.\n",
    ),
    StaffAlert.CASE_DUE_FOR_DELETION: (
        "SafeReport: a closed case of yours is due to be deleted soon",
        "A closed case assigned to you is due to be deleted in 14 days or less, at the "
        "end of its retention period.\n\n"
        "Sign in to see which case and its date; if police or legal proceedings need "
        "it, place a legal hold on the case page:\n{link}\n\n"
        "This message holds no details on purpose. Do not reply to it.\n",
    ),
    StaffAlert.NEW_REPORT: (
        "SafeReport: your organisation has a new report",
        "A new report has arrived for your organisation.\n\n"
        "Sign in to read it:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.REPORTER_MESSAGE: (
        "SafeReport: a reporter has sent a message",
        "A reporter has sent a message on a case of your organisation.\n\n"
        "Sign in to read it:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.OVERRIDE_WAITING: (
        "SafeReport: a safeguarding override is waiting for a second approver",
        "A colleague has asked for a safeguarding override, which needs a second "
        "member of staff to approve or cancel it.\n\n"
        "Sign in to decide:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.LEGAL_DEADLINE_WEEK: (
        "SafeReport: a legal deadline is 7 days away",
        "A deadline on a legal task of yours is 7 days away.\n\n"
        "Sign in to see it:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.LEGAL_DEADLINE_DAY: (
        "SafeReport: a legal deadline is tomorrow",
        "A deadline on a legal task of yours is tomorrow.\n\n"
        "Sign in to see it:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.REPORT_UNREAD: (
        "SafeReport: a report has not been opened yet",
        "A report sent to your organisation has not been opened by anyone yet. "
        "You will be told again until someone opens it.\n\n"
        "Sign in to see which one:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.MATCH_FOUND: (
        "SafeReport: another report names the same person or business",
        "Another report names the same person or business as one of your "
        "organisation's reports.\n\n"
        "Sign in to see which of your reports:\n{link}\n\n" + _NO_DETAILS,
    ),
    StaffAlert.MATCH_AGREED: (
        "SafeReport: both people agreed that their caseworkers work together",
        "Two reports name the same person or business, and both people who made them "
        "agreed that their caseworkers work together. One of the reports is your "
        "organisation's.\n\n"
        "Sign in to share your reference with the other organisation:\n{link}\n\n" + _NO_DETAILS,
    ),
}

# Where every casework alert points: the staff home's list of what is waiting.
WAITING_PATH = "/staff/waiting/"


def staff_alert_message(alert: StaffAlert, path: str) -> tuple[str, str]:
    """The subject and body of a staff alert; ``path`` is a site path with no personal data."""
    if not path.startswith("/"):
        raise ValueError("a notification link is a path on this site")
    subject, body = STAFF_ALERTS[StaffAlert(alert)]
    return subject, body.format(link=settings.SITE_URL.rstrip("/") + path)


def wants_alerts(person: StaffUser) -> bool:
    """She has an address and has not chosen "none" in her settings."""
    return bool(person.email) and person.alerts_by != AlertsBy.NONE


def alert_staff(person: StaffUser, alert: StaffAlert, path: str, *, once: str = "") -> bool:
    """Queue ``alert`` for ``person``'s own address once the current transaction
    commits. Returns False (and queues nothing) when she has no address or chose
    no alerts. With ``once`` (database numbers only, such as ``report:12``), the
    alert is sent at most once for that key, however often the job runs."""
    if not wants_alerts(person):
        return False
    staff_alert_message(alert, path)
    transaction.on_commit(
        functools.partial(
            send_staff_alert,
            staff_id=person.pk,
            organisation_id=person.organisation_id,
            alert=alert.value,
            path=path,
            once=once,
        ),
        robust=True,
    )
    return True


def this_hour() -> str:
    """The current hour as an alert's ``once`` key part ("2026120714"): an alert
    keyed by it reaches each person at most once an hour, however many events
    raise it (a flood of reports or matches is not a flood of mail)."""
    return timezone.now().strftime("%Y%m%d%H")


def alert_each(people: list[StaffUser], alert: StaffAlert, *, once: str) -> int:
    """``alert_staff`` to each person, linking to the staff home's list; how many were queued."""
    return sum(alert_staff(person, alert, WAITING_PATH, once=once) for person in people)


def deliver_staff_alert(staff_id: int, alert: str, path: str, once: str = "") -> None:
    """Send one staff alert now (the queue's ``send_staff_alert`` task). Her
    address and her choice are read now; an alert with a ``once`` key already
    sent is not sent again (the row is written first, and removed if sending fails,
    so a retry sends it)."""
    person = StaffUser.objects.filter(pk=staff_id, is_active=True).first()
    if person is None or not wants_alerts(person):
        return
    subject, body = staff_alert_message(StaffAlert(alert), path)
    sent = None
    if once:
        try:
            with transaction.atomic():
                sent = SentAlert.objects.create(staff=person, alert=alert, key=once)
        except IntegrityError:
            return  # already sent under this key
    try:
        _send(subject, body, person.email, what=f"staff alert {alert}")
    except NotificationNotSent:
        if sent is not None:
            sent.delete()
        raise
