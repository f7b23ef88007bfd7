"""Plain-words explanations of why the firewall refused a disclosure.

Written for a caseworker, not a lawyer. Each text is marked with
``gettext_noop`` so Django's ``makemessages`` collects it; the Django layer
translates it when it shows it.
"""

from __future__ import annotations

from safereport.core.i18n import gettext_noop as _

EXPLANATIONS: dict[str, str] = {
    "inv1-no-immigration-authority": _(
        "Nothing can ever be shared with an immigration authority (such as Home Office "
        "Immigration Enforcement, UK Visas and Immigration or Border Force), whatever the "
        "consent, the purpose or who is asking."
    ),
    "inv2-no-immigration-enforcement": _(
        "Nothing can ever be shared for immigration control or enforcement."
    ),
    "inv3-immigration-section-sealed": _(
        "The immigration section can only go to a legal adviser, for legal advice, with the "
        "reporter's explicit consent to share that section with that adviser. It can never go "
        "anywhere else, and never under a safeguarding override."
    ),
    "inv4-custodian-only": _(
        "Only the organisation that holds this report can share it, and you are not part of "
        "that organisation."
    ),
    "inv4-disclosing-roles": _(
        "Only caseworkers and organisation admins can share a report. Your role cannot."
    ),
    "inv5-override-no-immigration": _(
        "A safeguarding override can never include the immigration section. Remove that section."
    ),
    "inv5-override-second-approver": _(
        "A safeguarding override must be approved by a second member of staff. You cannot "
        "approve your own override."
    ),
    "inv5-override-needs-reason": _(
        "A safeguarding override needs a written reason describing the risk to life."
    ),
    "inv5-override-approver-of-custodian": _(
        "The second member of staff who approves a safeguarding override must work at the "
        "organisation that holds the report."
    ),
    "inv5-override-recipient-kind": _(
        "A safeguarding override can only send information to a police force or a specialist "
        "service (such as a MARAC or an IDVA service)."
    ),
    # -- transfer of custody (issue 13, item 3) --
    "inv8-transfer-to-support-only": _(
        "A report can only be transferred to another support organisation or a specialist "
        "service, never to the police or an immigration authority. Under a safeguarding "
        "override it can only go to a specialist service."
    ),
    "inv8-transfer-elsewhere": _("A report can only be transferred to another organisation."),
    # -- end transfer --
    # -- coordinated support (issue 16) --
    "inv9-coordination-no-section": _(
        "Coordinated support shares only which organisation holds the report and its "
        "reference, never a section of the report. Share sections through a referral."
    ),
    "inv9-coordination-between-support": _(
        "Coordinated support is only between the support organisations that hold two "
        "matching reports, never the police, a legal adviser or an immigration authority."
    ),
    "inv9-coordination-consent-only": _(
        "Coordinated support rests only on the reporter's agreement, never on a "
        "safeguarding override."
    ),
    "inv9-coordination-elsewhere": _(
        "Coordinated support is with another organisation than the one that holds the report."
    ),
    # -- end coordinated support --
    "nothing-requested": _("Choose at least one section to share."),
    "default-deny": _(
        "No consent on record covers this. The reporter must have agreed to share every "
        "section you chose, with this organisation, for this purpose, and must not have "
        "withdrawn that agreement. If someone's life is at risk, ask a second member of "
        "staff to approve a safeguarding override."
    ),
    "policy-error": _(
        "The firewall could not evaluate this request, so nothing was shared. Please tell "
        "your administrator."
    ),
}

LOCAL_RULE = _("A stricter rule set by your organisation refused this.")


def explain(rule_id: str) -> str:
    """The untranslated explanation for a refusing rule id."""
    return EXPLANATIONS.get(rule_id, LOCAL_RULE)


# Shown to staff who record a request for data from an immigration authority
# (invariant 7: recorded, refused, counted publicly). It says what the system
# does; it does not give legal advice.
IMMIGRATION_AUTHORITY_REQUEST = _(
    "This request has been recorded and refused. SafeReport never sends report data to an "
    "immigration authority, whatever the request says, and no setting or person can change "
    "that. The request will be counted, without any personal details, in the public "
    "transparency statistics. If the request claims a legal power or a court order, take "
    "legal advice before you respond."
)
