"""What the reporter may agree to share when sending, for each "what you want"."""

from __future__ import annotations

import pytest

from safereport.core.referrals.consent_offers import (
    OFFERS,
    ConsentOffer,
    ReporterWants,
    consent_offers,
    filled_sections,
)
from safereport.core.vocabulary import OrgKind, Purpose, Section

W = ReporterWants
S = Section
ALL_ASKED = frozenset({S.INCIDENT, S.PERPETRATOR, S.IDENTITY, S.CONTACT, S.SUPPORT_NEEDS})
POLICE = (OrgKind.POLICE_FORCE, Purpose.CRIME_INVESTIGATION)
LEGAL = (OrgKind.LEGAL_ADVISER, Purpose.LEGAL_ADVICE)


def shape(offers: tuple[ConsentOffer, ...]) -> list[tuple[str, OrgKind, Purpose, tuple[S, ...]]]:
    return [(o.key, o.recipient_kind, o.purpose, o.sections) for o in offers]


@pytest.mark.parametrize(
    ("wants", "filled", "expected"),
    [
        (W.SUPPORT_ONLY, ALL_ASKED, []),
        (
            W.POLICE_THROUGH_ORGANISATION,
            ALL_ASKED,
            [("police", *POLICE, (S.INCIDENT, S.PERPETRATOR, S.IDENTITY))],
        ),
        (
            W.POLICE_THROUGH_ORGANISATION,
            frozenset({S.INCIDENT, S.CONTACT}),
            [("police", *POLICE, (S.INCIDENT,))],
        ),
        (W.POLICE_THROUGH_ORGANISATION, frozenset({S.CONTACT, S.SUPPORT_NEEDS}), []),
        (
            W.ANONYMOUS_INFORMATION_TO_POLICE,
            ALL_ASKED,
            [("police", *POLICE, (S.INCIDENT, S.PERPETRATOR))],
        ),
        (
            W.ANONYMOUS_INFORMATION_TO_POLICE,
            frozenset({S.PERPETRATOR, S.IDENTITY}),
            [("police", *POLICE, (S.PERPETRATOR,))],
        ),
        (
            W.LEGAL_ADVICE,
            ALL_ASKED,
            [("legal", *LEGAL, (S.INCIDENT, S.IDENTITY, S.CONTACT))],
        ),
        (W.LEGAL_ADVICE, frozenset({S.CONTACT}), [("legal", *LEGAL, (S.CONTACT,))]),
        (W.LEGAL_ADVICE, frozenset({S.PERPETRATOR, S.SUPPORT_NEEDS}), []),
        ("", ALL_ASKED, []),
        ("something_else", ALL_ASKED, []),
    ],
)
def test_offers_for_each_answer(wants, filled, expected):
    assert shape(consent_offers(wants, filled)) == expected


def test_an_anonymous_report_never_offers_anything_about_the_reporter():
    for offer in consent_offers(W.ANONYMOUS_INFORMATION_TO_POLICE, ALL_ASKED):
        assert S.IDENTITY not in offer.sections and S.CONTACT not in offer.sections


@pytest.mark.parametrize("wants", list(W))
def test_nothing_immigration_related_is_ever_offered(wants):
    everything = frozenset(Section)
    for offer in consent_offers(wants, everything):
        assert S.IMMIGRATION not in offer.sections
        assert offer.recipient_kind is not OrgKind.IMMIGRATION_AUTHORITY
        assert offer.purpose is not Purpose.IMMIGRATION_ENFORCEMENT


def test_every_answer_has_a_rule():
    assert set(OFFERS) == set(W)


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ({S.INCIDENT: {"what": "text", "when": ""}}, {S.INCIDENT}),
        ({S.INCIDENT: {"what": "", "when": ""}}, set()),
        ({S.CONTACT: {"interpreter": False, "channel": None}}, set()),
        ({S.CONTACT: {"interpreter": True}}, {S.CONTACT}),
        ({S.IDENTITY: {}}, set()),
        (
            {S.INCIDENT: {"what": "x"}, S.PERPETRATOR: {"name": ""}, S.IDENTITY: {"name": "A"}},
            {S.INCIDENT, S.IDENTITY},
        ),
    ],
)
def test_filled_sections(sections, expected):
    assert filled_sections(sections) == expected


@pytest.mark.parametrize(
    ("wants", "reaches_police"),
    [
        (W.POLICE_THROUGH_ORGANISATION, True),
        (W.ANONYMOUS_INFORMATION_TO_POLICE, True),
        (W.LEGAL_ADVICE, False),
    ],
)
def test_an_offer_says_whether_it_may_reach_the_police(wants, reaches_police):
    (offer,) = consent_offers(wants, ALL_ASKED)
    assert offer.may_reach_police is reaches_police
