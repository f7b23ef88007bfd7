"""Every event and action name SafeReport records, from one enum.

Audit rows, transparency-log entries and action functions use these names,
so a reader of the log and a reader of the code see the same words.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    # accounts
    ORGANISATION_CREATED = "organisation_created"
    STAFF_CREATED = "staff_created"
    STAFF_LOGIN = "staff_login"
    STAFF_LOGIN_FAILED = "staff_login_failed"
    STAFF_LOGIN_THROTTLED = "staff_login_throttled"
    STAFF_LOGOUT = "staff_logout"
    STAFF_BACKUP_CODES_ISSUED = "staff_backup_codes_issued"
    # onboarding and the staff lifecycle (accounts: invitations, resets, recovery)
    STAFF_INVITED = "staff_invited"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_REFUSED = "invitation_refused"  # an expired, used or tampered link, or bad input
    INVITATION_WITHDRAWN = "invitation_withdrawn"
    STAFF_DEACTIVATED = "staff_deactivated"
    STAFF_RESET_REQUESTED = "staff_reset_requested"
    STAFF_RESET_REFUSED = "staff_reset_refused"
    # An audit row, and the public log's count (an entry with the org and a count only)
    STAFF_RESET_APPROVED = "staff_reset_approved"
    ORGANISATION_RECOVERED = "organisation_recovered"
    # risk assessment (core/risk)
    RISK_ASSESSMENT_RECORDED = "risk_assessment_recorded"
    # referrals (core/referrals): one event per lifecycle action
    REFERRAL_SENT = "referral_sent"
    REFERRAL_ACCEPTED = "referral_accepted"
    REFERRAL_DECLINED = "referral_declined"
    REFERRAL_STARTED = "referral_started"
    REFERRAL_CLOSED = "referral_closed"
    REFERRAL_WITHDRAWN = "referral_withdrawn"
    LEGAL_TASK_OPENED = "legal_task_opened"
    LEGAL_TASK_DONE = "legal_task_done"
    DIRECTORY_ENTRY_CHANGED = "directory_entry_changed"
    # transparency log (issue 5): events the public log records; entries carry no personal data
    DISCLOSURE_ALLOWED = "disclosure_allowed"
    DISCLOSURE_REFUSED = "disclosure_refused"
    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    IMMIGRATION_REQUEST_REFUSED = "immigration_request_refused"
    FIREWALL_POLICY_RECORDED = "firewall_policy_recorded"
    ORGANISATION_KEY_CHANGED = "organisation_key_changed"
    LEDGER_KEY_CHANGED = "ledger_key_changed"
    RETENTION_DELETION = "retention_deletion"
    # a report deleted by its reporter or a caseworker (who asked is not said)
    REPORT_DELETION = "report_deletion"
    STATISTICS_RELEASED = "statistics_released"  # an audit row: one (table, month) drawn
    # barriers-to-reporting survey (survey app); answers themselves are not audited:
    # an audit row carries a time to the second, which the anonymous survey never keeps
    SURVEY_DESIGN_STORED = "survey_design_stored"
    SURVEY_RESPONSES_EXPORTED = "survey_responses_exported"
    # encryption keys (accounts)
    ORGANISATION_KEY_CREATED = "organisation_key_created"
    ORGANISATION_KEY_GRANTED = "organisation_key_granted"
    STAFF_PASSWORD_CHANGED = "staff_password_changed"  # noqa: S105 - an event name
    # reports (intake and cases)
    REPORT_SUBMITTED = "report_submitted"
    REPORT_FILED_FOR_REPORTER = "report_filed_for_reporter"
    REPORT_VIEWED = "report_viewed"
    REPORT_STATUS_CHANGED = "report_status_changed"
    REPORT_ASSIGNED = "report_assigned"
    REPORT_INFORMATION_ADDED = "report_information_added"
    REPORT_SHREDDED = "report_shredded"
    # retention (core.retention): RETENTION_DELETION above is the public log's count
    RETENTION_CHANGED = "retention_changed"
    RETENTION_REQUESTED = "retention_requested"
    RETENTION_WARNING_SENT = "retention_warning_sent"
    # alerts (accounts.notify): a staff member's choice, and what the worker sent
    ALERT_PREFERENCE_CHANGED = "alert_preference_changed"
    REPORT_UNREAD_ESCALATED = "report_unread_escalated"
    LEGAL_DEADLINE_REMINDED = "legal_deadline_reminded"
    LEGAL_HOLD_PLACED = "legal_hold_placed"
    LEGAL_HOLD_RELEASED = "legal_hold_released"
    REPORT_ATTACHMENT_VIEWED = "report_attachment_viewed"
    MESSAGE_TO_REPORTER = "message_to_reporter"
    MESSAGE_FROM_REPORTER = "message_from_reporter"
    CASE_NOTE_ADDED = "case_note_added"
    CONTACT_RECORDED = "contact_recorded"
    # CONSENT_GIVEN / CONSENT_WITHDRAWN: see the transparency block above
    RECEIPT_OPENED = "receipt_opened"
    RECEIPT_THROTTLED = "receipt_throttled"
    DURESS_PHRASE_SET = "duress_phrase_set"
    REPORTER_UNDER_PRESSURE = "reporter_under_pressure"  # her second phrase was typed
    # disclosures (the firewall's Django side): audit rows for staff admins
    OVERRIDE_REQUESTED = "override_requested"
    OVERRIDE_APPROVED = "override_approved"
    OVERRIDE_REFUSED = "override_refused"
    OVERRIDE_CANCELLED = "override_cancelled"
    PACKAGE_OPENED = "package_opened"
    PACKAGE_ACCESS_REFUSED = "package_access_refused"
    # transfer of custody (issue 13, item 3): audit rows; the public log records
    # the transfer itself as a disclosure (purpose "transfer")
    TRANSFER_PROPOSED = "transfer_proposed"
    TRANSFER_DECLINED = "transfer_declined"  # the reporter said no
    TRANSFER_CANCELLED = "transfer_cancelled"
    TRANSFER_SENT = "transfer_sent"  # the sending organisation's row
    TRANSFER_RECEIVED = "transfer_received"  # the receiving organisation's row
    TRANSFER_REFUSED = "transfer_refused"
    # police liaison (liaison app): audit rows; the texts themselves are sealed, never here
    POLICE_HANDOVER_SENT = "police_handover_sent"
    # the caseworker told the reporter what the police may still do with immigration
    # information and what the Home Office protocol does not promise (with the consent)
    PROTOCOL_LIMITS_TOLD = "protocol_limits_told"
    POLICE_HANDOVER_ACKNOWLEDGED = "police_handover_acknowledged"
    POLICE_CRIME_REFERENCE_RECORDED = "police_crime_reference_recorded"
    POLICE_QUESTION_ASKED = "police_question_asked"
    POLICE_QUESTION_ANSWERED = "police_question_answered"
    POLICE_UPDATE_POSTED = "police_update_posted"
    POLICE_ACCESS_REFUSED = "police_access_refused"
    # matching (matching app; docs/matching.md): never the identifier, its tag or the report
    MATCHING_TAG_COMPUTED = "matching_tag_computed"  # an audit row per tag computed
    MATCHING_THROTTLED = "matching_throttled"  # a tag refused: the hour's budget is spent
    MATCHING_ENTRY_ADDED = "matching_entry_added"  # the public log's count of entries
    MATCH_FOUND = "match_found"  # an audit row for each organisation, and the log's count
    MATCH_ASKED = "match_asked"  # a caseworker let the return page ask the reporter
    MATCH_ANSWERED = "match_answered"  # the reporter said yes or no to coordinated support
    MATCH_AGREED = "match_agreed"  # both reporters said yes (an audit row for each side)
    # job queue (jobs app): a task that failed with no retries left, for organisation admins
    JOB_FAILED = "job_failed"
