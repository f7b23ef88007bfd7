"""The public JSON endpoints: shapes byte for byte, proofs that verify, clear 400s, caching."""

from __future__ import annotations

import json

import pytest
from log_helpers import append_samples

from safereport.core.ledger import (
    ConsistencyProof,
    InclusionProof,
    MerkleTree,
    SignedTreeHead,
    decode_entry,
    entries_page_from_json,
    leaf_hash,
    public_key_from_json,
    verify_tree_head,
)
from safereport.transparency import selectors
from safereport.transparency.actions import append_entry, do_sign_tree_head

pytestmark = pytest.mark.django_db


def get(client, path: str, status: int = 200):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.content
    # Compact JSON, no trailing newline: what docs/transparency.md §8 promises.
    assert body == json.dumps(json.loads(body), separators=(",", ":")).encode()
    return response, json.loads(body)


SIGNED_SIZES: list[int] = []


@pytest.fixture
def log():  # type: ignore[no-untyped-def]
    """Ten entries in three batches, a head signed after each, as the queue would."""
    SIGNED_SIZES.clear()
    for batch in (3, 3, 4):
        append_samples(batch)
        SIGNED_SIZES.append(selectors.log_size())
    return selectors.log_size()


def test_key_and_latest_tree_head_verify(client, log):
    response, key_json = get(client, "/transparency/key")
    assert list(key_json) == ["algorithm", "public_key", "key_id"]
    key = public_key_from_json(key_json)
    assert response["Cache-Control"] == "public, max-age=3600"
    response, sth_json = get(client, "/transparency/sth")
    assert list(sth_json) == ["tree_size", "timestamp", "root_hash", "signature", "key_id"]
    head = SignedTreeHead.from_json_dict(sth_json)
    verify_tree_head(head, key)
    assert head.tree_size == log
    assert response["Cache-Control"] == "public, max-age=10"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response


def test_entries_hash_to_the_signed_root(client, log):
    _, page = get(client, f"/transparency/entries?start=0&end={log}")
    start, entries = entries_page_from_json(page)
    assert start == 0 and len(entries) == log
    _, sth_json = get(client, "/transparency/sth")
    assert MerkleTree.from_entries(entries).root().hex() == sth_json["root_hash"]
    response, page = get(client, "/transparency/entries?start=3&end=5")
    assert entries_page_from_json(page) == (3, entries[3:5])
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_entries_past_the_end_are_cut_short_never_invented(client, log):
    response, page = get(client, f"/transparency/entries?start={log - 2}&end={log + 50}")
    assert len(page["entries"]) == 2
    assert response["Cache-Control"] == "public, max-age=10"


def test_entries_pages_are_bounded(client, log, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_ENTRIES_PER_PAGE", 4)
    _, page = get(client, f"/transparency/entries?start=0&end={log}")
    assert len(page["entries"]) == 4


def test_every_tree_head_is_listed_in_pages(client, log, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_TREE_HEADS_PER_PAGE", 3)
    heads: list[dict] = []
    while True:
        _, page = get(client, f"/transparency/sths?start={len(heads)}")
        assert list(page) == ["start", "total", "tree_heads"]
        assert len(page["tree_heads"]) <= 3
        heads.extend(page["tree_heads"])
        if len(heads) >= page["total"]:
            break
    assert [h["tree_size"] for h in heads] == SIGNED_SIZES
    assert SIGNED_SIZES[-1] == log


def test_entries_wait_for_a_signed_head_before_they_are_served(client, log):
    append_samples(2, sign=False)
    assert selectors.appended_size() == log + 2
    _, sth_json = get(client, "/transparency/sth")
    assert sth_json["tree_size"] == log
    _, body = get(client, f"/transparency/entries?start={log}&end={log + 2}", status=400)
    assert "smaller than the log's size" in body["error"]
    _, body = get(client, f"/transparency/proof/inclusion?index={log}&size={log + 1}", status=400)
    assert "at most the log's size" in body["error"]
    do_sign_tree_head()
    _, page = get(client, f"/transparency/entries?start={log}&end={log + 2}")
    assert len(page["entries"]) == 2


def test_inclusion_proofs_verify_against_the_signed_head(client, log):
    _, sth_json = get(client, "/transparency/sth")
    root = bytes.fromhex(sth_json["root_hash"])
    _, page = get(client, f"/transparency/entries?start=0&end={log}")
    for index, data in enumerate(entries_page_from_json(page)[1]):
        _, proof_json = get(client, f"/transparency/proof/inclusion?index={index}&size={log}")
        assert list(proof_json) == ["leaf_index", "tree_size", "inclusion_path"]
        InclusionProof.from_json_dict(proof_json).verify(leaf_hash(data), root)


def test_consistency_proofs_verify_between_signed_heads(client, log):
    _, heads_page = get(client, "/transparency/sths")
    roots = {h["tree_size"]: bytes.fromhex(h["root_hash"]) for h in heads_page["tree_heads"]}
    assert sorted(roots) == SIGNED_SIZES
    for first in SIGNED_SIZES:
        _, proof_json = get(client, f"/transparency/proof/consistency?first={first}&second={log}")
        assert list(proof_json) == ["first", "second", "consistency_path"]
        ConsistencyProof.from_json_dict(proof_json).verify(roots[first], roots[log])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("/transparency/entries", "'start' is required"),
        ("/transparency/entries?start=0", "'end' is required"),
        ("/transparency/entries?start=-1&end=2", "non-negative whole number"),
        ("/transparency/entries?start=01&end=2", "without leading zeros"),
        ("/transparency/entries?start=a&end=2", "non-negative whole number"),
        ("/transparency/entries?start=5&end=5", "start must be smaller than end"),
        ("/transparency/entries?start=1000000&end=1000001", "smaller than the log's size"),
        ("/transparency/entries?start=0&end=99999999999999999999", "too large"),
        ("/transparency/entries?start=0&end=2&x=1", "unknown parameters: x"),
        ("/transparency/proof/inclusion?index=0", "'size' is required"),
        ("/transparency/proof/inclusion?index=3&size=3", "index must be smaller than size"),
        ("/transparency/proof/inclusion?index=0&size=1000000", "at most the log's size"),
        ("/transparency/proof/consistency?first=3&second=2", "must not be larger"),
        ("/transparency/proof/consistency?first=1&second=1000000", "at most the log's size"),
        ("/transparency/sths?start=x", "non-negative whole number"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, log, query, message):
    response, body = get(client, query, status=400)
    assert list(body) == ["error"]
    assert message in body["error"]
    assert response["Cache-Control"] == "no-store"


def test_only_get_and_head(client, log):
    assert client.post("/transparency/sth").status_code == 405
    assert client.head("/transparency/sth").status_code == 200


DOC_KEY = (
    b'{"algorithm":"Ed25519","public_key":"3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac'
    b'048a18b59da29","key_id":"139e3940e64b5491722088d9a0d741628fc826e09475d341a780acde3c4b8070"}'
)
DOC_ENTRY = (
    b'{"commitment":"f65daf49f3550fc21ee0aa1036466e86c592bbd790589803102ee4d2aafefd1c",'
    b'"decision":"allow","kind":"referral_sent","nonce":"00112233445566778899aabbccddeeff",'
    b'"org":"kalayaan","policy_hash":"ba4459ca47bff03dc292cf6b637c9674578f89b0a627a4c6b270db18516afa82",'
    b'"purpose":"legal_advice","recipient_kind":"legal_adviser",'
    b'"rule_ids":["permit-consented-referral"],"sections":["incident","support_needs"],'
    b'"v":1,"week":"2026-W47"}'
)


def test_the_documented_bytes_are_what_the_server_sends(client, settings):
    """docs/transparency.md §8.2 and §8.5, byte for byte, with the documented all-zero seed."""
    settings.LEDGER_SIGNING_KEY = "00" * 32
    response = client.get("/transparency/key")
    assert response.content == DOC_KEY and len(response.content) == 179
    index = append_entry(decode_entry(DOC_ENTRY))
    do_sign_tree_head()
    response = client.get(f"/transparency/entries?start={index}&end={index + 1}")
    expected = b'{"start":0,' + b'"entries":["' + DOC_ENTRY.replace(b'"', b'\\"') + b'"]}'
    assert len(expected) == 501
    assert response.content == expected.replace(b'"start":0', f'"start":{index}'.encode())
    head = SignedTreeHead.from_json_dict(json.loads(client.get("/transparency/sth").content))
    assert head.key_id.hex() == "139e3940e64b5491722088d9a0d741628fc826e09475d341a780acde3c4b8070"
    assert client.get("/transparency/proof/inclusion?index=0&size=1").content == (
        b'{"leaf_index":0,"tree_size":1,"inclusion_path":[]}'
    )
    assert client.get("/transparency/proof/consistency?first=1&second=1").content == (
        b'{"first":1,"second":1,"consistency_path":[]}'
    )
