"""Referrals and the service directory: routine referral offers, the lifecycle
driven by the receiving service, legal-route tasks, notification e-mails
without personal data.
"""

from __future__ import annotations
