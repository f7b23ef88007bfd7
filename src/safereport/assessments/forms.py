"""The checklist and indicator forms. Field names (stable, used by tests):

Risk checklist (``RiskChecklistForm``):

* ``da_<key>`` (yes / no / not_known) and ``da_<key>_comment`` for each of the
  24 ``DOMESTIC_ABUSE_QUESTIONS``;
* ``hba`` and ``hba_comment``: the honour-based abuse question;
* ``imm_<key>`` and ``imm_<key>_comment`` for each immigration-abuse indicator;
* ``incident_on`` (YYYY-MM-DD), ``perpetrator_ref`` (an opaque reference such
  as P1), ``incident_severity`` (optional);
* ``earlier_<n>_on``, ``earlier_<n>_by``, ``earlier_<n>_severity`` (n = 1, 2...):
  earlier incidents, blank rows ignored; a blank person means the same person;
* ``last_marac_on``: the date of the last MARAC referral, if any;
* ``judgement_level`` ("", "medium", "high") and ``judgement_reason``.

Exploitation indicators (``ExploitationForm``): ``ex_<key>`` and
``ex_<key>_comment``. NRM next step (``NrmStepForm``, GET): ``age``, ``consent``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safereport.core.risk import (
    ANSWER_LABELS,
    DOMESTIC_ABUSE_QUESTIONS,
    EXPLOITATION_QUESTIONS,
    HONOUR_BASED_ABUSE_QUESTION,
    IMMIGRATION_ABUSE_INDICATORS,
    AgeGroup,
    Answer,
    Incident,
    ItemAnswer,
    NrmConsent,
    ProfessionalJudgement,
    Question,
    RiskAssessment,
    RiskLevel,
    Severity,
)

MAX_COMMENT = 2000
EARLIER_ROWS = 4
"""Blank rows for earlier incidents shown below the ones already known."""

ANSWER_CHOICES = [(a.value, gettext_lazy(ANSWER_LABELS[a])) for a in Answer]
SEVERITY_CHOICES = [
    ("", gettext_lazy("Not recorded")),
    (Severity.MINOR.value, gettext_lazy("Minor")),
    (Severity.MODERATE.value, gettext_lazy("Moderate")),
    (Severity.SERIOUS.value, gettext_lazy("Serious")),
    (Severity.LIFE_THREATENING.value, gettext_lazy("Life-threatening")),
]
JUDGEMENT_CHOICES = [
    ("", gettext_lazy("No: the suggestion stands")),
    (RiskLevel.MEDIUM.value, gettext_lazy("Raise to at least medium")),
    (RiskLevel.HIGH.value, gettext_lazy("Raise to high")),
]
AGE_CHOICES = [
    (AgeGroup.ADULT.value, gettext_lazy("An adult (18 or over)")),
    (AgeGroup.CHILD.value, gettext_lazy("A child (under 18)")),
    (AgeGroup.NOT_KNOWN.value, gettext_lazy("Age not known")),
]
CONSENT_CHOICES = [
    (NrmConsent.NOT_ASKED.value, gettext_lazy("Not asked yet")),
    (NrmConsent.GIVEN.value, gettext_lazy("Agrees to be referred, with full information")),
    (NrmConsent.REFUSED.value, gettext_lazy("Does not agree")),
]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnswerItem:
    """One question as the template shows it: the radio field and its comment."""

    def __init__(self, form: forms.Form, name: str, question: Question) -> None:
        self.question = question
        self.name = name
        self.field = form[name]
        self.comment = form[f"{name}_comment"]


def _answer_field(question: Question) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy(question.text),
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Answer yes, no or not known.")},
    )


def _comment_field(number_label: str) -> forms.CharField:
    return forms.CharField(
        label=number_label,
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _AnsweredForm(forms.Form):
    """A form of yes / no / not known questions, each with an optional comment."""

    def _add_question(self, name: str, question: Question, comment_label: str) -> None:
        self.fields[name] = _answer_field(question)
        self.fields[f"{name}_comment"] = _comment_field(comment_label)
        self.topics[name] = question

    def _items(self, prefix: str, questions: tuple[Question, ...]) -> list[AnswerItem]:
        return [AnswerItem(self, f"{prefix}{q.key}", q) for q in questions]

    def _answers(self, prefix: str, questions: tuple[Question, ...]) -> dict[str, ItemAnswer]:
        data = self.cleaned_data
        return {
            q.key: ItemAnswer(
                Answer(data[f"{prefix}{q.key}"]), data[f"{prefix}{q.key}_comment"].strip()
            )
            for q in questions
        }

    def problems(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in page order. The anchor is
        the field's input (a radio group's first button), so following the link
        puts the focus where the answer is typed."""
        found = [("", str(message)) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                question = self.topics.get(name)
                label = f"{_(question.topic)}" if question is not None else str(field.label)
                anchor = self[name].id_for_label
                if isinstance(field.widget, forms.RadioSelect):
                    anchor = f"{self[name].auto_id}_0"
                found.append((anchor, f"{label}: {message}"))
        return found

    topics: dict[str, Question]


def _initial_answers(
    prefix: str, answers: Mapping[str, ItemAnswer], initial: dict[str, Any]
) -> None:
    for key, item in answers.items():
        initial[f"{prefix}{key}"] = item.answer.value
        initial[f"{prefix}{key}_comment"] = item.comment


class RiskChecklistForm(_AnsweredForm):
    incident_on = forms.DateField(
        label=gettext_lazy("Date of the incident that prompted this assessment"),
        widget=DATE_WIDGET,
        error_messages={"required": gettext_lazy("Enter the date of the latest incident.")},
    )
    perpetrator_ref = forms.CharField(
        label=gettext_lazy("Person who caused it (a reference such as P1, never a name)"),
        max_length=20,
        initial="P1",
        error_messages={"required": gettext_lazy("Enter a reference such as P1.")},
    )
    incident_severity = forms.ChoiceField(
        label=gettext_lazy("How serious was it?"), choices=SEVERITY_CHOICES, required=False
    )
    last_marac_on = forms.DateField(
        label=gettext_lazy("Date of the last MARAC referral, if there was one"),
        required=False,
        widget=DATE_WIDGET,
    )
    judgement_level = forms.ChoiceField(
        label=gettext_lazy("Does your professional judgement raise the level?"),
        choices=JUDGEMENT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    judgement_reason = forms.CharField(
        label=gettext_lazy("Why (required when you raise the level)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        today: date,
        earlier_rows: int = EARLIER_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.topics = {}
        for q in DOMESTIC_ABUSE_QUESTIONS:
            self._add_question(
                f"da_{q.key}",
                q,
                _("Comment on question %(number)d (optional)") % {"number": q.number},
            )
        self._add_question("hba", HONOUR_BASED_ABUSE_QUESTION, _("Comment (optional)"))
        for q in IMMIGRATION_ABUSE_INDICATORS:
            self._add_question(
                f"imm_{q.key}",
                q,
                _("Comment on sign %(number)d (optional)") % {"number": q.number},
            )
        # As many earlier-incident rows as were posted (or prefilled), plus blank ones.
        source = self.data if self.is_bound else self.initial
        used = [
            n
            for n in range(1, 100)
            if source.get(f"earlier_{n}_on") or source.get(f"earlier_{n}_by")
        ]
        self.earlier_count = max(used, default=0) + (0 if self.is_bound else earlier_rows)
        if self.is_bound:
            self.earlier_count = max(self.earlier_count, earlier_rows)
        for n in range(1, self.earlier_count + 1):
            self.fields[f"earlier_{n}_on"] = forms.DateField(
                label=_("Date of earlier incident %(n)d") % {"n": n},
                required=False,
                widget=DATE_WIDGET,
            )
            self.fields[f"earlier_{n}_by"] = forms.CharField(
                label=_("Person (blank: the same person)"), required=False, max_length=20
            )
            self.fields[f"earlier_{n}_severity"] = forms.ChoiceField(
                label=_("How serious"), choices=SEVERITY_CHOICES, required=False
            )
        # Page order (the error summary follows it): the incident, the questions,
        # then professional judgement.
        incident = [
            "incident_on",
            "perpetrator_ref",
            "incident_severity",
            *[
                f"earlier_{n}_{part}"
                for n in range(1, self.earlier_count + 1)
                for part in ("on", "by", "severity")
            ],
            "last_marac_on",
        ]
        judgement = ["judgement_level", "judgement_reason"]
        questions = [name for name in self.fields if name not in {*incident, *judgement}]
        self.fields = {name: self.fields[name] for name in (*incident, *questions, *judgement)}

    # -- the template's view of the fields ---------------------------------

    def checklist_items(self) -> list[AnswerItem]:
        return self._items("da_", DOMESTIC_ABUSE_QUESTIONS)

    def honour_item(self) -> AnswerItem:
        return AnswerItem(self, "hba", HONOUR_BASED_ABUSE_QUESTION)

    def immigration_items(self) -> list[AnswerItem]:
        return self._items("imm_", IMMIGRATION_ABUSE_INDICATORS)

    def earlier_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (n, self[f"earlier_{n}_on"], self[f"earlier_{n}_by"], self[f"earlier_{n}_severity"])
            for n in range(1, self.earlier_count + 1)
        ]

    # -- checks ---------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        incident_on = data.get("incident_on")
        if incident_on is not None and incident_on > self.today:
            self.add_error("incident_on", _("The incident cannot be dated in the future."))
            incident_on = None
        for n in range(1, self.earlier_count + 1):
            on = data.get(f"earlier_{n}_on")
            by = (data.get(f"earlier_{n}_by") or "").strip()
            if on is None and (by or data.get(f"earlier_{n}_severity")):
                if f"earlier_{n}_on" not in self.errors:
                    self.add_error(f"earlier_{n}_on", _("Enter the date of this incident."))
            elif on is not None and incident_on is not None and on > incident_on:
                self.add_error(
                    f"earlier_{n}_on",
                    _("An earlier incident cannot be dated after the latest one."),
                )
        marac = data.get("last_marac_on")
        if marac is not None and marac > self.today:
            self.add_error("last_marac_on", _("The MARAC referral cannot be dated in the future."))
        level = data.get("judgement_level") or ""
        reason = (data.get("judgement_reason") or "").strip()
        if level and not reason:
            self.add_error(
                "judgement_reason",
                _("Write down why your professional judgement raises the level."),
            )
        if reason and not level:
            self.add_error(
                "judgement_level",
                _("Choose the level your judgement raises it to, or clear the reason."),
            )
        return data

    def to_assessment(self) -> RiskAssessment:
        """The core's assessment from a valid form (it checks everything again)."""
        data = self.cleaned_data
        ref = data["perpetrator_ref"].strip()
        earlier = tuple(
            Incident(
                occurred_on=data[f"earlier_{n}_on"],
                perpetrator_ref=(data[f"earlier_{n}_by"] or "").strip() or ref,
                severity=Severity(data[f"earlier_{n}_severity"])
                if data[f"earlier_{n}_severity"]
                else None,
            )
            for n in range(1, self.earlier_count + 1)
            if data.get(f"earlier_{n}_on") is not None
        )
        level = data.get("judgement_level") or ""
        return RiskAssessment(
            assessed_on=self.today,
            incident=Incident(
                occurred_on=data["incident_on"],
                perpetrator_ref=ref,
                severity=Severity(data["incident_severity"]) if data["incident_severity"] else None,
            ),
            answers=self._answers("da_", DOMESTIC_ABUSE_QUESTIONS),
            immigration_answers=self._answers("imm_", IMMIGRATION_ABUSE_INDICATORS),
            honour_based_abuse=ItemAnswer(Answer(data["hba"]), data["hba_comment"].strip()),
            earlier_incidents=earlier,
            last_marac_referral_on=data.get("last_marac_on"),
            judgement=ProfessionalJudgement(RiskLevel(level), data["judgement_reason"])
            if level
            else None,
        )


def initial_from(previous: RiskAssessment | None) -> dict[str, Any]:
    """A re-assessment starts from the previous answers: the previous incident
    becomes an earlier one, and the new incident's date is left to fill in."""
    if previous is None:
        return {}
    initial: dict[str, Any] = {}
    _initial_answers("da_", previous.answers, initial)
    _initial_answers("imm_", previous.immigration_answers, initial)
    initial["hba"] = previous.honour_based_abuse.answer.value
    initial["hba_comment"] = previous.honour_based_abuse.comment
    initial["perpetrator_ref"] = previous.incident.perpetrator_ref
    incidents = sorted(
        (*previous.earlier_incidents, previous.incident), key=lambda i: i.occurred_on
    )
    for n, incident in enumerate(incidents, start=1):
        initial[f"earlier_{n}_on"] = incident.occurred_on
        initial[f"earlier_{n}_by"] = (
            ""
            if incident.perpetrator_ref == previous.incident.perpetrator_ref
            else incident.perpetrator_ref
        )
        initial[f"earlier_{n}_severity"] = incident.severity.value if incident.severity else ""
    if previous.last_marac_referral_on is not None:
        initial["last_marac_on"] = previous.last_marac_referral_on
    return initial


class ExploitationForm(_AnsweredForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics = {}
        for q in EXPLOITATION_QUESTIONS:
            self._add_question(
                f"ex_{q.key}",
                q,
                _("Comment on indicator %(number)d (optional)") % {"number": q.number},
            )

    def items(self) -> list[AnswerItem]:
        return self._items("ex_", EXPLOITATION_QUESTIONS)

    def answers(self) -> dict[str, ItemAnswer]:
        return self._answers("ex_", EXPLOITATION_QUESTIONS)


def exploitation_initial(answers: Mapping[str, ItemAnswer] | None) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if answers:
        _initial_answers("ex_", answers, initial)
    return initial


class NrmStepForm(forms.Form):
    age = forms.ChoiceField(
        label=gettext_lazy("The person is"), choices=AGE_CHOICES, widget=forms.RadioSelect
    )
    consent = forms.ChoiceField(
        label=gettext_lazy("Consent to an NRM referral"),
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
    )
