"""Which sharing the reporter may agree to when they send a report.

What they want (the journey's "what you want" question) decides the offer;
nothing else does:

* support only: nothing is offered; the report stays with the organisation;
* report to the police through the organisation: the police may receive
  what happened, what was said about the person responsible, and the
  reporter's name and what they said about themselves;
* pass information to the police anonymously: the same without anything
  about the reporter;
* legal advice: a legal adviser may receive what happened, the reporter's
  name and how to contact them.

A section is offered only when the reporter wrote something in it, and an
offer with no such section is not made. An offer is only an offer: nothing
is ticked in advance, and a ticked offer becomes a recorded consent that the
firewall policy still decides on for each disclosure. Immigration
information is never asked at intake, so it is never offered here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from safereport.core.vocabulary import OrgKind, Purpose, Section


@dataclass(frozen=True, slots=True)
class ConsentOffer:
    """Agree that the custodian may pass ``sections`` to a ``recipient_kind``
    organisation for ``purpose``; ``key`` names the offer on the form."""

    key: str
    recipient_kind: OrgKind
    purpose: Purpose
    sections: tuple[Section, ...]

    @property
    def may_reach_police(self) -> bool:
        """Whether agreeing may put what she wrote in the hands of the police,
        where the current rules on immigration information apply (the review
        page and the police handover page say so beside the choice)."""
        return self.recipient_kind is OrgKind.POLICE_FORCE


class ReporterWants(StrEnum):
    """The journey's "what you want" answer."""

    SUPPORT_ONLY = "support_only"
    POLICE_THROUGH_ORGANISATION = "police_through_organisation"
    ANONYMOUS_INFORMATION_TO_POLICE = "anonymous_information_to_police"
    LEGAL_ADVICE = "legal_advice"


# What may be offered for each answer, before removing sections left empty.
OFFERS: Mapping[ReporterWants, tuple[ConsentOffer, ...]] = {
    ReporterWants.SUPPORT_ONLY: (),
    ReporterWants.POLICE_THROUGH_ORGANISATION: (
        ConsentOffer(
            "police",
            OrgKind.POLICE_FORCE,
            Purpose.CRIME_INVESTIGATION,
            (Section.INCIDENT, Section.PERPETRATOR, Section.IDENTITY),
        ),
    ),
    ReporterWants.ANONYMOUS_INFORMATION_TO_POLICE: (
        ConsentOffer(
            "police",
            OrgKind.POLICE_FORCE,
            Purpose.CRIME_INVESTIGATION,
            (Section.INCIDENT, Section.PERPETRATOR),
        ),
    ),
    ReporterWants.LEGAL_ADVICE: (
        ConsentOffer(
            "legal",
            OrgKind.LEGAL_ADVISER,
            Purpose.LEGAL_ADVICE,
            (Section.INCIDENT, Section.IDENTITY, Section.CONTACT),
        ),
    ),
}


def filled_sections(sections: Mapping[Section, Mapping[str, object]]) -> frozenset[Section]:
    """The sections in which the reporter gave anything (an empty text, no
    choice or an unticked box is nothing)."""
    return frozenset(
        section
        for section, values in sections.items()
        if any(value not in ("", None, False) for value in values.values())
    )


def consent_offers(wants: str, filled: frozenset[Section]) -> tuple[ConsentOffer, ...]:
    """The offers for this answer, each narrowed to the sections that were filled
    in (in the order above); an unknown answer gets no offer."""
    try:
        rules = OFFERS[ReporterWants(wants)]
    except ValueError:
        return ()
    offers = []
    for rule in rules:
        given = tuple(section for section in rule.sections if section in filled)
        if given:
            offers.append(ConsentOffer(rule.key, rule.recipient_kind, rule.purpose, given))
    return tuple(offers)
