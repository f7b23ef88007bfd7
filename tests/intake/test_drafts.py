"""The typed draft goes to its store as plain JSON data and comes back the same."""

from __future__ import annotations

import json

from safereport.core.vocabulary import Section
from safereport.intake.drafts import Draft, DraftAttachment


def test_a_draft_survives_a_json_round_trip_with_its_files():
    draft = Draft.start()
    draft.answers["kind"] = {"crime_type": "domestic_abuse"}
    draft.answers["safe-contact"] = {"channel": "sms", "interpreter": True, "code_word": ""}
    draft.answers["attachments"] = {"count": 1}
    draft.attachments.append(DraftAttachment.new(b"\x89PNG\r\n\x00\xff", "image/png"))
    draft.kept["what-happened"] = "0" * 64
    text = json.dumps(draft.to_dict())
    back = Draft.from_dict(json.loads(text))
    assert back == draft
    assert back.attachments[0].data == b"\x89PNG\r\n\x00\xff"
    assert back.attachments[0].kind == "image/png" and back.attachments[0].size == 8


def test_answers_become_the_reports_sections():
    draft = Draft(token="t")
    draft.answers["what-happened"] = {"what": "He hit me", "when": ""}
    draft.answers["what-you-want"] = {"wants": "legal_advice", "needs": "housing"}
    draft.answers["safe-contact"] = {"channel": "sms", "interpreter": False, "code_word": ""}
    sections = draft.sections()
    assert sections[Section.INCIDENT] == {"what": "He hit me", "when": ""}
    assert sections[Section.SUPPORT_NEEDS] == {"wants": "legal_advice", "needs": "housing"}
    assert sections[Section.CONTACT] == {"channel": "sms"}  # nothing empty or unticked
    assert sections[Section.PERPETRATOR] == {} and sections[Section.IDENTITY] == {}
    assert draft.answer("what-you-want", "wants") == "legal_advice"
    assert draft.answer("kind", "crime_type") == ""
    assert Section.IMMIGRATION not in sections
