"""Typed errors of the risk core, each carrying a plain message.

``message`` is English text marked with ``gettext_noop`` so the Django layer
can translate it; ``params`` fills its ``%(name)s`` placeholders after
translation. ``str(error)`` gives the filled English text.
"""

from __future__ import annotations

from safereport.core.i18n import TranslatableError, gettext_noop


class RiskError(TranslatableError):
    """Base of every error raised by ``safereport.core.risk``."""

    message: str = gettext_noop("The risk assessment could not be recorded.")


class IncompleteAnswers(RiskError):
    """Some questions have no answer ("not known" is an answer; silence is not)."""

    message = gettext_noop(
        "Every question needs an answer: yes, no or not known. Missing: %(missing)s."
    )


class UnknownQuestion(RiskError):
    """An answer was given to a question that is not on the list."""

    message = gettext_noop("These answers do not match any question: %(unknown)s.")


class JudgementReasonRequired(RiskError):
    """Professional judgement was used to raise the level without a written reason."""

    message = gettext_noop(
        "Write down why your professional judgement raises the risk level. "
        "The reason is kept with the assessment."
    )


class JudgementCannotLower(RiskError):
    """Professional judgement was asked to set the standard level, which raises nothing."""

    message = gettext_noop(
        "Professional judgement can only raise the risk level to medium or high. "
        "It never lowers what the answers suggest."
    )


class InvalidDates(RiskError):
    """Dates that cannot be true together (for example an incident after its assessment)."""

    message = gettext_noop("The dates do not fit together: %(detail)s.")


class OutOfOrderAssessment(RiskError):
    """A re-assessment dated before the latest assessment already in the history."""

    message = gettext_noop(
        "A re-assessment cannot be dated before the latest assessment (%(latest)s)."
    )


class InvalidRecord(RiskError):
    """Stored assessment data that cannot be read back."""

    message = gettext_noop("The stored risk assessment cannot be read: %(detail)s.")
