"""Checklist answers posted as the browser would post them (for the risk tests)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from safereport.core.risk import DOMESTIC_ABUSE_QUESTIONS, IMMIGRATION_ABUSE_INDICATORS


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def checklist(yes: int = 0, *, yes_keys: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """Form data answering every question: the first ``yes`` questions (and any
    in ``yes_keys``) "yes", the rest "no"; honour-based abuse and every
    immigration indicator "no"; an incident three days ago by P1."""
    data = {
        "incident_on": days_ago(3).isoformat(),
        "perpetrator_ref": "P1",
        "incident_severity": "",
        "last_marac_on": "",
        "hba": "no",
        "hba_comment": "",
        "judgement_level": "",
        "judgement_reason": "",
    }
    for index, question in enumerate(DOMESTIC_ABUSE_QUESTIONS):
        answer = "yes" if index < yes or question.key in yes_keys else "no"
        data[f"da_{question.key}"] = answer
        data[f"da_{question.key}_comment"] = ""
    for question in IMMIGRATION_ABUSE_INDICATORS:
        data[f"imm_{question.key}"] = "no"
        data[f"imm_{question.key}_comment"] = ""
    for n in range(1, 5):
        data |= {f"earlier_{n}_on": "", f"earlier_{n}_by": "", f"earlier_{n}_severity": ""}
    data.update(extra)
    return data
