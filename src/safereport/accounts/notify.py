"""E-mail notifications to organisations: a fixed sentence and a sign-in link.

A notification never carries personal data: no names, no report content, no
crime type, not even which organisation sent something (a by-and-for
organisation's name can say who a person is). The text comes from a fixed
table, so nothing a reporter or caseworker wrote can reach a mail. The link
holds only a database number. Mail goes to the organisation's contact
address after the transaction commits; a mail that cannot be sent is logged
(without the address) and does not undo the action, which is already
recorded and visible when staff sign in.
"""

from __future__ import annotations

import logging
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from safereport.accounts.models import Organisation

logger = logging.getLogger(__name__)


class Notice(StrEnum):
    NEW_REFERRAL = "new_referral"
    REFERRAL_UPDATED = "referral_updated"
    NEW_POLICE_PACKAGE = "new_police_package"
    POLICE_QUESTION = "police_question"
    POLICE_ANSWER = "police_answer"
    POLICE_UPDATE = "police_update"


SUBJECTS: dict[Notice, str] = {
    Notice.NEW_REFERRAL: "SafeReport: you have a new referral",
    Notice.REFERRAL_UPDATED: "SafeReport: a referral you sent has changed",
    Notice.NEW_POLICE_PACKAGE: "SafeReport: you have a new package",
    Notice.POLICE_QUESTION: "SafeReport: the police have asked a question",
    Notice.POLICE_ANSWER: "SafeReport: your question has an answer",
    Notice.POLICE_UPDATE: "SafeReport: the police posted an update",
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
    """Send ``notice`` to ``organisation``'s contact address once the current
    transaction commits. Returns False (and sends nothing) without an address."""
    address = organisation.contact_email
    if not address:
        return False
    subject, body = message_for(notice, path)

    def send() -> None:
        try:
            send_mail(subject, body, None, [address], fail_silently=False)
        except Exception:
            logger.warning("notification %s could not be sent", notice.value)

    transaction.on_commit(send)
    return True
