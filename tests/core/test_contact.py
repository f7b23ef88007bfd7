"""The safe-contact plan: reading safe times, and warnings before a contact."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safereport.core.contact import (
    CHANNEL_LABELS,
    CONCERN_TEXT,
    Channel,
    Concern,
    Plan,
    check_contact,
    read_safe_times,
)

LONDON = ZoneInfo("Europe/London")
MONDAY_11 = datetime(2026, 11, 16, 11, 0, tzinfo=LONDON)  # a Monday
MONDAY_19 = datetime(2026, 11, 16, 19, 0, tzinfo=LONDON)
SATURDAY_11 = datetime(2026, 11, 21, 11, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "at", "allowed"),
    [
        ("weekdays 10am to 2pm", MONDAY_11, True),
        ("weekdays 10am to 2pm", MONDAY_19, False),
        ("weekdays 10am to 2pm", SATURDAY_11, False),
        ("Weekdays, 10 to 2pm", MONDAY_11, True),
        ("10-2", MONDAY_11, True),
        ("10-2", MONDAY_19, False),
        ("1 to 3pm", datetime(2026, 11, 16, 13, 30, tzinfo=LONDON), True),
        ("1 to 3pm", MONDAY_11, False),
        ("mornings", MONDAY_11, True),
        ("mornings", MONDAY_19, False),
        ("evenings", MONDAY_19, True),
        ("weekends", SATURDAY_11, True),
        ("weekends", MONDAY_11, False),
        ("mon-wed", MONDAY_11, True),
        ("tue to thu", MONDAY_11, False),
        ("fri to mon", MONDAY_11, True),  # wraps over the weekend
        ("Monday and Friday, 9:30-11:30", MONDAY_11, True),
        ("Monday and Friday, 9:30-11:30", datetime(2026, 11, 17, 10, 0, tzinfo=LONDON), False),
        ("any time", MONDAY_19, True),
        ("Tuesdays 10am-2pm", MONDAY_11, False),  # plural day names are days
        ("Tuesdays 10am-2pm", datetime(2026, 11, 17, 11, 0, tzinfo=LONDON), True),
        ("thursdays", MONDAY_11, False),
        ("mondays to fridays, mornings", SATURDAY_11, False),
        ("weekends – 9 to 5pm", SATURDAY_11, True),
    ],
)
def test_safe_times_in_common_words(text, at, allowed):
    times = read_safe_times(text)
    assert times is not None, text
    assert times.allows(at) is allowed


@pytest.mark.parametrize(
    "text",
    [
        "after 6",
        "when he is at work",
        "sábado por la mañana",
        "5pm to 9am",
        "25:00-26:00",
        "",
        "sundays am",  # a bare am/pm is not a time
        "weekdays pm",
        "not mondays",
        "mondays 10am",  # a single time is not a window
        "thursdaysx",
        "في الصباح فقط",  # another script: read by the caseworker, never guessed
        "صبح کے وقت",
        "晚上",
        "!!!",
        "Ñ",
        "monday morning and friday evening",  # which time goes with which day
        "weekdays 6pm-9pm, weekends 10am-9pm",
        "1-3",  # morning or afternoon?
        "7-9",
        "5-9",
        "and",  # nothing about when
    ],
)
def test_safe_times_that_cannot_be_read_with_certainty_are_not_guessed(text):
    assert read_safe_times(text) is None


@given(st.text(max_size=40))
def test_reading_never_fails_on_any_text(text):
    read_safe_times(text)  # returns a reading or None, never raises


def test_a_message_on_the_website_always_follows_the_plan():
    for plan in (Plan(), Plan(channel=Channel.PHONE_CALL, safe_times="mornings")):
        assert check_contact(plan, Channel.WEBSITE, MONDAY_19) == ()


def test_following_the_plan_gives_no_warning():
    plan = Plan(
        channel=Channel.PHONE_CALL, detail="07700 900123", safe_times="weekdays 10am to 2pm"
    )
    assert check_contact(plan, Channel.PHONE_CALL, MONDAY_11) == ()


def _concerns(plan: Plan, channel: Channel, at: datetime = MONDAY_11) -> list[Concern]:
    return [w.concern for w in check_contact(plan, channel, at)]


def test_each_way_of_going_against_the_plan_is_named():
    assert _concerns(Plan(), Channel.PHONE_CALL) == [Concern.NO_PLAN]
    assert _concerns(Plan(channel=Channel.WEBSITE), Channel.EMAIL) == [Concern.WEBSITE_ONLY]
    texting = Plan(channel=Channel.TEXT_MESSAGE, detail="07700 900123")
    assert _concerns(texting, Channel.PHONE_CALL) == [Concern.OTHER_CHANNEL]
    assert _concerns(texting, Channel.HOME_VISIT) == [Concern.OTHER_CHANNEL, Concern.SEEN_AT_HOME]
    assert _concerns(Plan(channel=Channel.LETTER), Channel.LETTER) == [Concern.SEEN_AT_HOME]
    assert _concerns(Plan(channel=Channel.EMAIL), Channel.EMAIL) == [Concern.NO_DETAIL]
    timed = Plan(channel=Channel.PHONE_CALL, detail="x", safe_times="mornings")
    assert _concerns(timed, Channel.PHONE_CALL, MONDAY_19) == [Concern.OUTSIDE_SAFE_TIMES]
    unread = Plan(channel=Channel.PHONE_CALL, detail="x", safe_times="when he is out")
    assert _concerns(unread, Channel.PHONE_CALL) == [Concern.SAFE_TIMES_UNREAD]


def test_the_warning_carries_what_the_person_said():
    plan = Plan(channel=Channel.TEXT_MESSAGE, detail="x", safe_times="mornings")
    warnings = check_contact(plan, Channel.PHONE_CALL, MONDAY_19)
    assert [dict(w.params) for w in warnings] == [
        {"planned": "text_message"},
        {"safe_times": "mornings"},
    ]
    for warning in warnings:
        assert warning.text % dict(warning.params)  # every placeholder is filled


def test_the_plan_from_the_journeys_answers():
    assert Plan.from_answers(None) == Plan()
    assert Plan.from_answers({}).channel is None
    assert Plan.from_answers({"code_word": "sunflower"}).channel is Channel.WEBSITE
    plan = Plan.from_answers(
        {"channel": "phone_call", "detail": "07700", "safe_times": "mornings", "interpreter": True}
    )
    assert (plan.channel, plan.detail, plan.safe_times, plan.interpreter) == (
        Channel.PHONE_CALL,
        "07700",
        "mornings",
        True,
    )
    assert Plan.from_answers({"channel": "carrier pigeon"}).channel is None


def test_every_channel_and_concern_has_words():
    assert set(CHANNEL_LABELS) == set(Channel)
    assert set(CONCERN_TEXT) == set(Concern)
