"""The worked example in docs/transparency.md is what the code produces.

If a format changes, this test fails until the document is updated, so an
independent verifier written from the document keeps working.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from pathlib import Path

from nacl.signing import SigningKey

from safereport.core.events import EventKind
from safereport.core.ledger import (
    COMMITMENT_LABEL,
    EMPTY_ROOT,
    Commitment,
    Decision,
    Entry,
    MerkleTree,
    encode_entry,
    leaf_hash,
    matches_commitment,
    public_key_to_json,
    sign_tree_head,
    verify_tree_head,
)
from safereport.core.vocabulary import OrgKind, Purpose, Section

DOC = Path(__file__).resolve().parents[3] / "docs" / "transparency.md"
COMMITMENT_KEY = bytes(range(32))
NONCE = bytes.fromhex("00112233445566778899aabbccddeeff")
LOG_KEY = SigningKey(bytes(32))


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _code_blocks() -> list[str]:
    return re.findall(r"```[a-z]*\n(.*?)```", _doc(), flags=re.DOTALL)


def _example_entry() -> Entry:
    tag = hmac.new(COMMITMENT_KEY, COMMITMENT_LABEL + NONCE, hashlib.sha256).digest()
    return Entry(
        kind=EventKind.REFERRAL_SENT,
        week="2026-W47",
        org="kalayaan",
        recipient_kind=OrgKind.LEGAL_ADVISER,
        purpose=Purpose.LEGAL_ADVICE,
        sections=(Section.INCIDENT, Section.SUPPORT_NEEDS),
        decision=Decision.ALLOW,
        policy_hash=hashlib.sha256(b"example policy").digest(),
        rule_ids=("permit-consented-referral",),
        commitment=Commitment(nonce=NONCE, tag=tag),
    )


def test_example_entry_bytes_and_leaf_hash_are_documented() -> None:
    entry = _example_entry()
    data = encode_entry(entry)
    assert matches_commitment(COMMITMENT_KEY, entry)
    wrapped = next(block for block in _code_blocks() if block.startswith('{"commitment"'))
    assert wrapped.replace("\n", "").encode() == data
    assert f"{len(data)} bytes" in _doc()
    assert leaf_hash(data).hex() in _doc()
    assert EMPTY_ROOT.hex() in _doc()


def test_example_tree_head_and_key_are_documented() -> None:
    data = encode_entry(_example_entry())
    root = MerkleTree.from_entries([data]).root()
    sth = sign_tree_head(LOG_KEY, tree_size=1, timestamp_ms=1_763_712_000_000, root_hash=root)
    verify_tree_head(sth, LOG_KEY.verify_key)
    blocks = [json.loads(b) for b in _code_blocks() if b.lstrip().startswith('{\n  "')]
    assert sth.to_json_dict() in blocks
    assert public_key_to_json(LOG_KEY.verify_key) in blocks
    signed = next(b for b in _code_blocks() if b.startswith("536166655265706f7274"))
    assert bytes.fromhex(signed.replace("\n", "")) == sth.head.signed_bytes()
