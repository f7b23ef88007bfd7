"""Typed errors of the referral core, each with a plain message.

As in the risk core: ``message`` is English marked with ``gettext_noop``,
``params`` fills its placeholders after translation, ``str(error)`` is the
filled English text.
"""

from __future__ import annotations

from safereport.core.i18n import TranslatableError, gettext_noop


class ReferralError(TranslatableError):
    """Base of every error raised by ``safereport.core.referrals``."""

    message: str = gettext_noop("This referral change is not possible.")


class NotPermitted(ReferralError):
    """The actor's side of the referral may not take this action at all."""

    message = gettext_noop("You cannot change this referral.")


class ActionNotAvailable(ReferralError):
    """The action does not apply to a referral in its current state."""

    message = gettext_noop("This referral cannot be changed that way now.")


class ReasonRequired(ReferralError):
    """Declining or withdrawing a referral needs a written reason."""

    message = gettext_noop("Write down the reason.")


class ReasonTooLong(ReferralError):
    message = gettext_noop("Keep the reason under %(limit)d characters.")


class SameOrganisation(ReferralError):
    """A referral goes from one organisation to another, never to itself."""

    message = gettext_noop(
        "A referral is always to another organisation. Work inside your own "
        "organisation is recorded as case work, not as a referral."
    )


class InvalidDeadline(ReferralError):
    """A legal-route deadline that cannot be planned from the dates given."""

    message = gettext_noop("The deadline cannot be planned: %(detail)s.")
