"""The referral lifecycle: states, actions, who may take them.

::

    sent --accept--> accepted --start--> in_progress --close--> closed
      |                  |                                        ^
      |                  +-----------------close------------------+
      +--decline (reason required)--> declined
      +--withdraw (reason required)--> withdrawn

Who drives each change (``ActorSide``):

* the **receiving service** (its own staff, from its own login) accepts,
  declines, starts work on and closes a referral. Declining needs a written
  reason, which the sending caseworker sees; the reporter sees only the
  plain status text (``REPORTER_STATUS_TEXT``), never the reason;
* the **sending organisation** (the custodian's caseworkers, not only the
  one who pressed "send") may withdraw a referral while it is still only
  *sent*, with a written reason: typically the reporter changed their mind
  or the wrong service was chosen. Once the service has answered, the
  sender can no longer change the referral's state: it asks the service to
  close it, and a reporter's withdrawn consent is handled by the consent
  record, which stops any further disclosure to that service;
* **anyone else** (police, the reporter, other organisations, analysts) can
  take no action.

A referral can be closed straight from *accepted* as well as from *in
progress*: a service may accept and then lose contact before any work
starts, and it must be able to close the referral honestly. *declined*,
*withdrawn* and *closed* are final.

``transition`` validates one change and returns the new state or raises a
typed error with a plain message. It checks the side first, so someone with
no part in the referral learns nothing about its state from the refusal.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from enum import StrEnum

from safereport.core.events import EventKind
from safereport.core.i18n import gettext_noop
from safereport.core.referrals.errors import (
    ActionNotAvailable,
    NotPermitted,
    ReasonRequired,
    ReasonTooLong,
    SameOrganisation,
)
from safereport.core.vocabulary import Role


class ReferralState(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


INITIAL_STATE = ReferralState.SENT
FINAL_STATES: frozenset[ReferralState] = frozenset(
    {ReferralState.DECLINED, ReferralState.CLOSED, ReferralState.WITHDRAWN}
)


class ReferralAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    CLOSE = "close"
    WITHDRAW = "withdraw"


class ActorSide(StrEnum):
    RECEIVING_SERVICE = "receiving_service"
    SENDING_ORGANISATION = "sending_organisation"
    OTHER = "other"


TRANSITIONS: Mapping[tuple[ReferralState, ReferralAction], ReferralState] = {
    (ReferralState.SENT, ReferralAction.ACCEPT): ReferralState.ACCEPTED,
    (ReferralState.SENT, ReferralAction.DECLINE): ReferralState.DECLINED,
    (ReferralState.SENT, ReferralAction.WITHDRAW): ReferralState.WITHDRAWN,
    (ReferralState.ACCEPTED, ReferralAction.START): ReferralState.IN_PROGRESS,
    (ReferralState.ACCEPTED, ReferralAction.CLOSE): ReferralState.CLOSED,
    (ReferralState.IN_PROGRESS, ReferralAction.CLOSE): ReferralState.CLOSED,
}
"""Every allowed (state, action) pair and the state it leads to."""

SIDE_FOR_ACTION: Mapping[ReferralAction, ActorSide] = {
    ReferralAction.ACCEPT: ActorSide.RECEIVING_SERVICE,
    ReferralAction.DECLINE: ActorSide.RECEIVING_SERVICE,
    ReferralAction.START: ActorSide.RECEIVING_SERVICE,
    ReferralAction.CLOSE: ActorSide.RECEIVING_SERVICE,
    ReferralAction.WITHDRAW: ActorSide.SENDING_ORGANISATION,
}
"""The only side that may take each action."""

REASON_REQUIRED: frozenset[ReferralAction] = frozenset(
    {ReferralAction.DECLINE, ReferralAction.WITHDRAW}
)
REASON_MAX_LENGTH = 2000

EVENT_FOR_ACTION: Mapping[ReferralAction, EventKind] = {
    ReferralAction.ACCEPT: EventKind.REFERRAL_ACCEPTED,
    ReferralAction.DECLINE: EventKind.REFERRAL_DECLINED,
    ReferralAction.START: EventKind.REFERRAL_STARTED,
    ReferralAction.CLOSE: EventKind.REFERRAL_CLOSED,
    ReferralAction.WITHDRAW: EventKind.REFERRAL_WITHDRAWN,
}
"""The event each action writes (creating a referral writes ``REFERRAL_SENT``)."""

STATE_LABELS: Mapping[ReferralState, str] = {
    ReferralState.SENT: gettext_noop("Sent"),
    ReferralState.ACCEPTED: gettext_noop("Accepted"),
    ReferralState.DECLINED: gettext_noop("Declined"),
    ReferralState.IN_PROGRESS: gettext_noop("In progress"),
    ReferralState.CLOSED: gettext_noop("Closed"),
    ReferralState.WITHDRAWN: gettext_noop("Withdrawn"),
}

ACTION_LABELS: Mapping[ReferralAction, str] = {
    ReferralAction.ACCEPT: gettext_noop("Accept"),
    ReferralAction.DECLINE: gettext_noop("Decline"),
    ReferralAction.START: gettext_noop("Start work"),
    ReferralAction.CLOSE: gettext_noop("Close"),
    ReferralAction.WITHDRAW: gettext_noop("Withdraw"),
}

REPORTER_STATUS_TEXT: Mapping[ReferralState, str] = {
    ReferralState.SENT: gettext_noop(
        "Your referral has been sent. The service has not answered yet."
    ),
    ReferralState.ACCEPTED: gettext_noop(
        "The service has accepted your referral and will contact you in the way you chose."
    ),
    ReferralState.DECLINED: gettext_noop(
        "The service could not take your referral. Your caseworker will talk with you "
        "about other services."
    ),
    ReferralState.IN_PROGRESS: gettext_noop("The service is working with you."),
    ReferralState.CLOSED: gettext_noop("The service has finished its work on this referral."),
    ReferralState.WITHDRAWN: gettext_noop("This referral was stopped before the service answered."),
}
"""What the reporter reads with their receipt: plain status, never a reason."""

_NOT_PERMITTED_TEXT: Mapping[ActorSide, str] = {
    ActorSide.RECEIVING_SERVICE: gettext_noop(
        "Only the service that received the referral can do this."
    ),
    ActorSide.SENDING_ORGANISATION: gettext_noop(
        "Only the organisation that sent the referral can withdraw it."
    ),
}

_NOT_AVAILABLE_TEXT: Mapping[ReferralAction, str] = {
    ReferralAction.ACCEPT: gettext_noop(
        "Only a referral that is waiting for an answer can be accepted."
    ),
    ReferralAction.DECLINE: gettext_noop(
        "Only a referral that is waiting for an answer can be declined."
    ),
    ReferralAction.START: gettext_noop("Work can only start on a referral that was accepted."),
    ReferralAction.CLOSE: gettext_noop(
        "Only a referral that was accepted or is in progress can be closed."
    ),
    ReferralAction.WITHDRAW: gettext_noop(
        "A referral can only be withdrawn while it is waiting for an answer. Once the "
        "service has answered, ask it to close the referral."
    ),
}

_REASON_TEXT: Mapping[ReferralAction, str] = {
    ReferralAction.DECLINE: gettext_noop(
        "Write down why you are declining the referral. The caseworker who sent it will "
        "see the reason; the person referred will not."
    ),
    ReferralAction.WITHDRAW: gettext_noop("Write down why the referral is being withdrawn."),
}


def transition(
    state: ReferralState,
    action: ReferralAction,
    side: ActorSide,
    *,
    reason: str = "",
) -> ReferralState:
    """The state after ``side`` takes ``action`` on a referral in ``state``.

    Raises ``NotPermitted`` (wrong side), ``ActionNotAvailable`` (not from
    this state), ``ReasonRequired`` or ``ReasonTooLong``. A reason is kept
    with any action; it is required for decline and withdraw.
    """
    allowed_side = SIDE_FOR_ACTION[action]
    if side is not allowed_side:
        raise NotPermitted(_NOT_PERMITTED_TEXT[allowed_side])
    new_state = TRANSITIONS.get((state, action))
    if new_state is None:
        raise ActionNotAvailable(_NOT_AVAILABLE_TEXT[action])
    if action in REASON_REQUIRED and not reason.strip():
        raise ReasonRequired(_REASON_TEXT[action])
    if len(reason) > REASON_MAX_LENGTH:
        raise ReasonTooLong(limit=REASON_MAX_LENGTH)
    return new_state


def allowed_actions(state: ReferralState, side: ActorSide) -> tuple[ReferralAction, ...]:
    """The actions ``side`` may take now, in a stable order (for buttons)."""
    return tuple(
        action
        for action in ReferralAction
        if SIDE_FOR_ACTION[action] is side and (state, action) in TRANSITIONS
    )


SENDING_ROLES = frozenset({Role.CASEWORKER, Role.ORG_ADMIN})
RECEIVING_ROLES = frozenset({Role.SERVICE_STAFF, Role.CASEWORKER, Role.ORG_ADMIN})


def side_of(
    actor_org: Hashable,
    actor_role: Role,
    *,
    sending_org: Hashable,
    receiving_org: Hashable,
) -> ActorSide:
    """Which side a staff member is on, from their organisation and role.

    Caseworkers and admins of the sending organisation are the sending side;
    service staff, caseworkers and admins of the receiving organisation are
    the receiving side; everyone else (police liaison, analysts, any other
    organisation) is ``OTHER``. Organisations are compared by whatever id
    the caller uses. A referral to one's own organisation is refused.
    """
    if sending_org == receiving_org:
        raise SameOrganisation()
    if actor_org == receiving_org and actor_role in RECEIVING_ROLES:
        return ActorSide.RECEIVING_SERVICE
    if actor_org == sending_org and actor_role in SENDING_ROLES:
        return ActorSide.SENDING_ORGANISATION
    return ActorSide.OTHER
