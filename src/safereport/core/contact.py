"""The safe-contact plan, and the warnings staff see before going against it.

A reporter's plan says how they may be contacted (only through the website,
a phone call, a text message, an e-mail), when it is safe, and a code word.
Before a caseworker contacts them outside the website, ``check_contact``
compares the planned contact with the plan and returns every way it goes
against it. A warning never blocks: the caseworker may have a reason (the
person asked for a call in a message), but they must see it, confirm it and
write the reason down.

Safe times are written by the person in their own words ("weekdays 10am to
2pm", "mornings", "sábado"). ``read_safe_times`` understands the common
English forms (days, day ranges, weekdays and weekends, hour ranges, parts
of the day). When it cannot read them, the warning says so, and the
caseworker must read them before contacting: the system never guesses that
a time is safe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from safereport.core.i18n import gettext_noop


class Channel(StrEnum):
    """How a caseworker may contact a person."""

    WEBSITE = "website"  # a message they read with their receipt
    PHONE_CALL = "phone_call"
    TEXT_MESSAGE = "text_message"
    EMAIL = "email"
    LETTER = "letter"
    HOME_VISIT = "home_visit"
    IN_PERSON = "in_person"  # a meeting somewhere the person chose


CHANNEL_LABELS: Mapping[Channel, str] = {
    Channel.WEBSITE: gettext_noop("A message on this website"),
    Channel.PHONE_CALL: gettext_noop("A phone call"),
    Channel.TEXT_MESSAGE: gettext_noop("A text message"),
    Channel.EMAIL: gettext_noop("An e-mail"),
    Channel.LETTER: gettext_noop("A letter"),
    Channel.HOME_VISIT: gettext_noop("A visit to their home"),
    Channel.IN_PERSON: gettext_noop("A meeting in a place they chose"),
}

# Channels that can be seen or heard by someone else at home.
_SEEN_AT_HOME = frozenset({Channel.LETTER, Channel.HOME_VISIT})


class Concern(StrEnum):
    NO_PLAN = "no_plan"
    WEBSITE_ONLY = "website_only"
    OTHER_CHANNEL = "other_channel"
    SEEN_AT_HOME = "seen_at_home"
    OUTSIDE_SAFE_TIMES = "outside_safe_times"
    SAFE_TIMES_UNREAD = "safe_times_unread"
    NO_DETAIL = "no_detail"


CONCERN_TEXT: Mapping[Concern, str] = {
    Concern.NO_PLAN: gettext_noop(
        "The person has not said how they can be contacted safely. Use only messages on "
        "this website until they do."
    ),
    Concern.WEBSITE_ONLY: gettext_noop(
        "The person asked to be contacted only through this website. Someone else may "
        "see their phone or e-mail."
    ),
    Concern.OTHER_CHANNEL: gettext_noop(
        "This is not the way the person asked to be contacted (they chose: %(planned)s)."
    ),
    Concern.SEEN_AT_HOME: gettext_noop(
        "Letters and home visits can be seen by the people the person lives with, "
        "including the person who harms them. Only do this if they asked for it."
    ),
    Concern.OUTSIDE_SAFE_TIMES: gettext_noop(
        "This is outside the times the person said are safe (%(safe_times)s)."
    ),
    Concern.SAFE_TIMES_UNREAD: gettext_noop(
        "The safe times are in the person's own words and could not be checked "
        "automatically (%(safe_times)s). Read them before you contact them."
    ),
    Concern.NO_DETAIL: gettext_noop(
        "The person gave no phone number or e-mail address in their plan."
    ),
}


@dataclass(frozen=True, slots=True)
class Plan:
    """A safe-contact plan as the reporter gave it (all parts optional)."""

    channel: Channel | None = None  # None: no plan at all
    detail: str = ""
    safe_times: str = ""
    code_word: str = ""
    language: str = ""
    interpreter: bool = False

    @classmethod
    def from_answers(cls, answers: Mapping[str, object] | None) -> Plan:
        """From the journey's ``contact`` section (channel "" means the website only)."""
        if not answers:
            return cls()
        raw = str(answers.get("channel") or "")
        try:
            channel = Channel(raw) if raw else Channel.WEBSITE
        except ValueError:
            channel = None
        return cls(
            channel=channel,
            detail=str(answers.get("detail") or ""),
            safe_times=str(answers.get("safe_times") or ""),
            code_word=str(answers.get("code_word") or ""),
            language=str(answers.get("language") or ""),
            interpreter=bool(answers.get("interpreter")),
        )


@dataclass(frozen=True, slots=True)
class Warning:
    concern: Concern
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The untranslated text (translate, then fill in ``params``)."""
        return CONCERN_TEXT[self.concern]


# -- reading safe times ------------------------------------------------------

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS: Mapping[str, int] = {
    **{name: n for n, name in enumerate(_DAYS)},
    **{name + "s": n for n, name in enumerate(_DAYS)},  # "mondays"
    **{name[:3]: n for n, name in enumerate(_DAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_WEEKDAYS = frozenset({"weekday", "weekdays"})
_WEEKENDS = frozenset({"weekend", "weekends"})
_PARTS: Mapping[str, tuple[int, int]] = {
    "morning": (8 * 60, 12 * 60),
    "mornings": (8 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "afternoons": (12 * 60, 17 * 60),
    "evening": (17 * 60, 21 * 60),
    "evenings": (17 * 60, 21 * 60),
    "lunchtime": (12 * 60, 14 * 60),
}
# Words that add nothing to when it is safe. Anything else ("after", "when",
# "not", a bare "am" or "pm", a lone number) and the text is not read.
_FILLERS = frozenset(
    {
        "and",
        "or",
        "on",
        "at",
        "in",
        "the",
        "from",
        "between",
        "only",
        "any",
        "time",
        "day",
        "days",
        "every",
        "to",
        "until",
        "till",
        "all",
    }
)
_KNOWN = frozenset({*_DAY_WORDS, *_WEEKDAYS, *_WEEKENDS, *_PARTS, *_FILLERS})
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?"
_RANGE = re.compile(r"\b" + _TIME + r"\s*(?:-|to|until|till)\s*" + _TIME + r"\b")
# What a safe time in plain English can be written with; anything else
# (another script, other signs) is left to the caseworker to read.
_PLAIN = re.compile(r"[a-z0-9\s:.,;/&+'-]*")
_DAY_RANGE = re.compile(r"\b([a-z]+)\s*(?:-|to)\s*([a-z]+)\b")


@dataclass(frozen=True, slots=True)
class SafeTimes:
    """Days of the week (0 = Monday) and minute-of-day windows; an empty set
    of days means every day, an empty list of windows means all day."""

    days: frozenset[int]
    windows: tuple[tuple[int, int], ...]

    def allows(self, at: datetime) -> bool:
        if self.days and at.weekday() not in self.days:
            return False
        if not self.windows:
            return True
        minute = at.hour * 60 + at.minute
        return any(start <= minute < end for start, end in self.windows)


def _minutes(hour: str, minute: str | None, half: str | None, other_half: str | None) -> int:
    h = int(hour)
    m = int(minute) if minute else 0
    half = half or other_half
    if half == "pm" and h < 12:
        h += 12
    if half == "am" and h == 12:
        h = 0
    if h > 24 or m > 59:
        raise ValueError("not a time of day")
    return h * 60 + m


def read_safe_times(text: str) -> SafeTimes | None:
    """The safe times in ``text``, or None when they cannot be read with certainty."""
    words = text.strip().lower().replace("–", "-")
    if not words:
        return None
    if not _PLAIN.fullmatch(words):
        return None  # another script or signs we do not read: never guessed to be safe
    windows: list[tuple[int, int]] = []
    try:
        for match in _RANGE.finditer(words):
            h1, m1, half1, h2, m2, half2 = match.groups()
            if not half1 and not half2 and not 8 <= int(h1) <= 12:
                # "1-3" or "7-9" without am/pm could be morning or evening;
                # only a start between 8 and 12 reads one way ("9-5", "10-2").
                return None
            end = _minutes(h2, m2, half2, None)
            if not half1 and not half2 and end < 12 * 60 and end <= int(h1) * 60:
                end += 12 * 60  # "10-2" is ten in the morning to two in the afternoon
            # "10 to 2pm": the first time takes the second's half only if that
            # keeps it before the end (10 to 2pm is 10:00-14:00, 1 to 3pm is 13:00-15:00).
            start = _minutes(h1, m1, half1, None if half1 else half2)
            if not half1 and start >= end:
                start = _minutes(h1, m1, "am", None)
            if start >= end:
                return None
            windows.append((start, end))
    except ValueError:
        return None
    leftover = _RANGE.sub(" ", words)
    tokens = re.findall(r"[a-z]+|\d+", leftover)
    if any(token not in _KNOWN for token in tokens):
        return None  # a word we do not know, a lone number, a bare "am": not guessed
    days: set[int] = set()
    for first, last in _DAY_RANGE.findall(leftover):
        if first in _DAY_WORDS and last in _DAY_WORDS:
            a, b = _DAY_WORDS[first], _DAY_WORDS[last]
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    for token in tokens:
        if token in _DAY_WORDS:
            days.add(_DAY_WORDS[token])
        elif token in _WEEKDAYS:
            days.update(range(5))
        elif token in _WEEKENDS:
            days.update((5, 6))
        elif token in _PARTS:
            windows.append(_PARTS[token])
    if days and len(windows) > 1:
        # "monday morning and friday evening": which time goes with which day
        # is not read, and every day with every time would be too wide.
        return None
    if not days and not windows and not {"any", "every", "all"} & set(tokens):
        return None  # nothing about when at all
    return SafeTimes(frozenset(days), tuple(windows))


def check_contact(plan: Plan, channel: Channel, at: datetime) -> tuple[Warning, ...]:
    """Every way contacting by ``channel`` at ``at`` (the person's local time)
    goes against ``plan``. An empty result means it follows the plan."""
    if channel is Channel.WEBSITE:
        return ()  # the person reads it when they choose, with their receipt
    warnings: list[Warning] = []
    if plan.channel is None:
        warnings.append(Warning(Concern.NO_PLAN))
    elif plan.channel is Channel.WEBSITE:
        warnings.append(Warning(Concern.WEBSITE_ONLY))
    elif plan.channel is not channel:
        warnings.append(Warning(Concern.OTHER_CHANNEL, {"planned": plan.channel.value}))
    if channel in _SEEN_AT_HOME:
        warnings.append(Warning(Concern.SEEN_AT_HOME))
    if (
        channel in (Channel.PHONE_CALL, Channel.TEXT_MESSAGE, Channel.EMAIL)
        and plan.channel is channel
        and not plan.detail.strip()
    ):
        warnings.append(Warning(Concern.NO_DETAIL))
    if plan.safe_times.strip():
        times = read_safe_times(plan.safe_times)
        if times is None:
            warnings.append(Warning(Concern.SAFE_TIMES_UNREAD, {"safe_times": plan.safe_times}))
        elif not times.allows(at):
            warnings.append(Warning(Concern.OUTSIDE_SAFE_TIMES, {"safe_times": plan.safe_times}))
    return tuple(warnings)
