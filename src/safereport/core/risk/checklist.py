"""The questions of the domestic-abuse risk checklist, in our own words.

The checklist has the structure of the SafeLives Dash RIC (24 questions,
each answered yes / no / not known, with a comment) and covers the same
kinds of risk factor, but every question here is written by us in plain
English. The caseworker reads the questions with the person; they speak to
"you" (the person at risk) and "this person" (whoever is causing harm).

Three further sets of questions sit beside the 24 and are kept apart from
the score (see ``safereport.core.risk.assessment`` for how they count):

* ``HONOUR_BASED_ABUSE_QUESTION``: is the abuse tied to ideas of honour or
  shame (including forced marriage)?
* ``IMMIGRATION_ABUSE_INDICATORS``: is immigration being used as a weapon
  (threats of deportation or of reporting to the Home Office, documents
  withheld, visa or sponsorship used as control, threats about the
  children's status, lies about rights)? These ask only about what someone
  else does. None of them asks about the person's own immigration status,
  which SafeReport never asks at intake and never needs for risk.

Every text is wrapped in ``gettext_noop`` so Django can translate it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from safereport.core.i18n import gettext_noop
from safereport.core.risk.errors import IncompleteAnswers, UnknownQuestion


class Answer(StrEnum):
    """How a question was answered. "Not known" is an honest answer, never a yes."""

    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


ANSWER_LABELS: Mapping[Answer, str] = {
    Answer.YES: gettext_noop("Yes"),
    Answer.NO: gettext_noop("No"),
    Answer.NOT_KNOWN: gettext_noop("Not known"),
}


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """One answer and the caseworker's optional comment on it."""

    answer: Answer
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """A question: a stable key (stored), a number (shown), a short topic and the text."""

    key: str
    number: int
    topic: str
    text: str


def _numbered(rows: Iterable[tuple[str, str, str]]) -> tuple[Question, ...]:
    return tuple(
        Question(key=key, number=number, topic=topic, text=text)
        for number, (key, topic, text) in enumerate(rows, start=1)
    )


DOMESTIC_ABUSE_QUESTIONS: tuple[Question, ...] = _numbered(
    [
        (
            "injured_now",
            gettext_noop("Hurt in the latest incident"),
            gettext_noop("Did the latest incident leave you hurt or injured in any way?"),
        ),
        (
            "very_frightened",
            gettext_noop("Very frightened"),
            gettext_noop("Are you very scared at the moment?"),
        ),
        (
            "afraid_of_what_next",
            gettext_noop("Afraid of what comes next"),
            gettext_noop(
                "Are you afraid of what this person may do next, such as more violence, "
                "killing you, or harming your children or someone else?"
            ),
        ),
        (
            "cut_off",
            gettext_noop("Cut off from others"),
            gettext_noop(
                "Are you cut off from family or friends, or does this person stop you "
                "from seeing them?"
            ),
        ),
        (
            "low_or_suicidal",
            gettext_noop("Very low or thinking of suicide"),
            gettext_noop(
                "Do you feel very low or hopeless, or have you had thoughts of hurting "
                "or killing yourself?"
            ),
        ),
        (
            "separation",
            gettext_noop("Left or tried to leave"),
            gettext_noop("In the past year, have you left this person or tried to leave?"),
        ),
        (
            "child_contact_conflict",
            gettext_noop("Disputes about the children"),
            gettext_noop(
                "Are there arguments or disputes with this person about seeing or "
                "looking after the children?"
            ),
        ),
        (
            "stalking",
            gettext_noop("Following, watching, constant contact"),
            gettext_noop(
                "Does this person keep calling or messaging you, follow or watch you, or "
                "turn up where you are when you do not want them to?"
            ),
        ),
        (
            "pregnant_or_new_baby",
            gettext_noop("Pregnant or a baby under 18 months"),
            gettext_noop("Are you expecting a baby, or did you give birth in the last 18 months?"),
        ),
        (
            "more_often",
            gettext_noop("Happening more often"),
            gettext_noop("Does the abuse happen more often now than it did before?"),
        ),
        (
            "getting_worse",
            gettext_noop("Getting worse"),
            gettext_noop("Has the abuse become more serious or more dangerous?"),
        ),
        (
            "controlling_or_jealous",
            gettext_noop("Control and jealousy"),
            gettext_noop(
                "Does this person try to control what you do, who you see, what you wear "
                "or where you go, or act very jealous?"
            ),
        ),
        (
            "weapon_used",
            gettext_noop("Weapon or object used"),
            gettext_noop(
                "Has this person ever used a knife, another weapon or any object against you?"
            ),
        ),
        (
            "threat_to_kill",
            gettext_noop("Threats to kill"),
            gettext_noop(
                "Has this person threatened to kill you or anyone else, in a way that "
                "you took seriously?"
            ),
        ),
        (
            "strangling",
            gettext_noop("Choking, strangling, smothering"),
            gettext_noop(
                "Has this person ever squeezed your neck, choked, strangled or smothered "
                "you, or held you under water?"
            ),
        ),
        (
            "sexual_abuse",
            gettext_noop("Sexual abuse"),
            gettext_noop(
                "Does this person force or pressure you into sexual acts, or do sexual "
                "things that hurt you or make you feel ashamed?"
            ),
        ),
        (
            "others_threaten",
            gettext_noop("Threats from other people"),
            gettext_noop(
                "Is anyone else, for example this person's family or your own, "
                "threatening you or making you afraid?"
            ),
        ),
        (
            "harmed_others",
            gettext_noop("Has hurt other people"),
            gettext_noop(
                "Has this person hurt anyone else, such as children, relatives, "
                "a former partner or strangers?"
            ),
        ),
        (
            "harmed_animals",
            gettext_noop("Has hurt animals"),
            gettext_noop(
                "Has this person ever hurt, or threatened to hurt, a pet or other animal?"
            ),
        ),
        (
            "money_problems_or_control",
            gettext_noop("Money problems or money control"),
            gettext_noop(
                "Are there serious money problems, or does this person control the "
                "money so that you depend on them?"
            ),
        ),
        (
            "drink_drugs_mental_health",
            gettext_noop("Alcohol, drugs or mental health"),
            gettext_noop(
                "Does this person have problems with alcohol, drugs or their mental health?"
            ),
        ),
        (
            "their_suicide_threats",
            gettext_noop("Has threatened suicide"),
            gettext_noop("Has this person ever said they would end their own life, or tried to?"),
        ),
        (
            "broke_orders",
            gettext_noop("Broke bail, orders or agreements"),
            gettext_noop(
                "Has this person broken bail conditions, a court order, or an agreement "
                "to stay away or about contact?"
            ),
        ),
        (
            "police_record",
            gettext_noop("Trouble with the police"),
            gettext_noop(
                "As far as you know, has this person been arrested, charged or convicted "
                "before, especially for violence?"
            ),
        ),
    ]
)

# The key of the question that asks whether abuse happens more often, and the
# one that asks whether it is getting worse: both feed the escalation flag.
MORE_OFTEN_KEY = "more_often"
GETTING_WORSE_KEY = "getting_worse"

HONOUR_BASED_ABUSE_QUESTION = Question(
    key="honour_based_abuse",
    number=1,
    topic=gettext_noop("Honour-based abuse"),
    text=gettext_noop(
        "Is there a worry that the abuse is linked to family or community ideas of "
        "honour or shame, including pressure to marry or to stay married?"
    ),
)

IMMIGRATION_ABUSE_INDICATORS: tuple[Question, ...] = _numbered(
    [
        (
            "deportation_threats",
            gettext_noop("Threats of deportation"),
            gettext_noop("Has anyone threatened to have you deported or sent to another country?"),
        ),
        (
            "threats_to_report",
            gettext_noop("Threats to report to the Home Office"),
            gettext_noop(
                "Has anyone threatened to report you to the Home Office, immigration "
                "officers or the police because of your immigration situation?"
            ),
        ),
        (
            "documents_withheld",
            gettext_noop("Documents kept from you"),
            gettext_noop(
                "Does anyone keep your passport, identity papers, residence card or "
                "online visa account away from you?"
            ),
        ),
        (
            "visa_used_as_control",
            gettext_noop("Visa or sponsorship used to control you"),
            gettext_noop(
                "Is a visa, a sponsorship or an immigration application being used to "
                "control you, for example a threat to withdraw support for it?"
            ),
        ),
        (
            "children_status_threats",
            gettext_noop("Threats about the children"),
            gettext_noop(
                "Has anyone threatened that you will lose your children, or that they "
                "will be taken or sent away, because of immigration?"
            ),
        ),
        (
            "lies_about_rights",
            gettext_noop("Told you have no right to help"),
            gettext_noop(
                "Has anyone told you that you have no right to get help from the police "
                "or from services because of your immigration situation?"
            ),
        ),
    ]
)

YES_THRESHOLD = 14
"""Fourteen or more "yes" answers to the 24 questions suggest high risk and MARAC."""


def question_keys(questions: Iterable[Question]) -> tuple[str, ...]:
    return tuple(question.key for question in questions)


def check_complete(answers: Mapping[str, ItemAnswer], questions: tuple[Question, ...]) -> None:
    """Raise unless ``answers`` answers every question in ``questions`` and nothing else."""
    expected = question_keys(questions)
    unknown = sorted(set(answers) - set(expected))
    if unknown:
        raise UnknownQuestion(unknown=", ".join(unknown))
    missing = [key for key in expected if key not in answers]
    if missing:
        raise IncompleteAnswers(missing=", ".join(missing))


def keys_with(
    answers: Mapping[str, ItemAnswer], questions: tuple[Question, ...], answer: Answer
) -> tuple[str, ...]:
    """The keys (in question order) whose answer is ``answer``."""
    return tuple(q.key for q in questions if answers[q.key].answer is answer)
