"""The words people read for the purposes and sections of a disclosure.

Marked for translation without Django (``core.i18n``); the apps translate
them when they show them (``disclosures.models`` keeps lazily translated
copies for forms and pages).
"""

from __future__ import annotations

from safereport.core.i18n import gettext_noop
from safereport.core.vocabulary import Purpose, Section

PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.SUPPORT_REFERRAL: gettext_noop("Support and referral"),
    Purpose.CRIME_INVESTIGATION: gettext_noop("Investigation of a crime"),
    Purpose.SAFEGUARDING: gettext_noop("Safeguarding"),
    Purpose.LEGAL_ADVICE: gettext_noop("Legal advice"),
    Purpose.IMMIGRATION_ENFORCEMENT: gettext_noop(
        "Immigration control or enforcement (always refused)"
    ),
}
SECTION_LABELS: dict[Section, str] = {
    Section.INCIDENT: gettext_noop("What happened (when, where, what)"),
    Section.PERPETRATOR: gettext_noop("The person who did it"),
    Section.IDENTITY: gettext_noop("The reporter's identity"),
    Section.CONTACT: gettext_noop("Safe contact plan"),
    Section.SUPPORT_NEEDS: gettext_noop("Support needs"),
    Section.IMMIGRATION: gettext_noop("Immigration information (legal adviser only)"),
    Section.ATTACHMENTS: gettext_noop("Attachments"),
}
