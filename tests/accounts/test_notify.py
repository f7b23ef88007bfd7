"""Notification e-mails: a fixed sentence and a link, through a real SMTP server."""

from __future__ import annotations

import pytest
from django.db import transaction

from safereport.accounts.models import Organisation
from safereport.accounts.notify import SUBJECTS, Notice, message_for, notify
from safereport.core.vocabulary import OrgKind

pytestmark = pytest.mark.django_db(transaction=True)


def _org(email: str) -> Organisation:
    return Organisation.objects.create(
        name="Harbour Test Service",
        slug="harbour-test",
        kind=OrgKind.SPECIALIST_SERVICE.value,
        contact_email=email,
    )


@pytest.mark.parametrize("notice", list(Notice))
def test_every_notice_reaches_the_smtp_server_with_only_its_fixed_text(smtp_server, notice):
    org = _org("referrals@harbour.example")
    with transaction.atomic():
        assert notify(org, notice, "/staff/referrals/7/") is True
        assert smtp_server.messages == []  # nothing leaves before the commit
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == SUBJECTS[notice]
    assert smtp_server.recipients == [["referrals@harbour.example"]]
    body = smtp_server.bodies()[0]
    assert "http://127.0.0.1:8000/staff/referrals/7/" in body
    assert body.replace("\r\n", "\n") == message_for(notice, "/staff/referrals/7/")[1]
    assert "Harbour" not in body  # not even the recipient's own name


def test_a_rolled_back_action_sends_nothing(smtp_server):
    org = _org("referrals@harbour.example")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(org, Notice.NEW_REFERRAL, "/staff/referrals/7/")
        raise RuntimeError("the action failed")
    assert smtp_server.messages == []


def test_no_address_no_mail(smtp_server):
    org = _org("")
    with transaction.atomic():
        assert notify(org, Notice.NEW_REFERRAL, "/staff/referrals/7/") is False
    assert smtp_server.messages == []


def test_a_link_must_be_a_path_on_this_site():
    with pytest.raises(ValueError, match="path on this site"):
        message_for(Notice.NEW_REFERRAL, "https://elsewhere.example/")


def test_a_mail_server_that_is_down_does_not_undo_the_action(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens
    org = _org("referrals@harbour.example")
    with transaction.atomic():
        notify(org, Notice.NEW_REFERRAL, "/staff/referrals/7/")
    assert Organisation.objects.filter(pk=org.pk).exists()
    assert "could not be sent" in caplog.text
    assert "harbour.example" not in caplog.text
