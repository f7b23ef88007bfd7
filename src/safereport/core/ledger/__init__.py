"""The transparency log: RFC 9162 Merkle tree, entries, signed tree heads, audit.

Pure Python (no Django): keys, storage and clocks come in as arguments. The
byte-for-byte formats are documented in ``docs/transparency.md``.

Typical use on the server side (a storage adapter over database rows)::

    entry = Entry(kind=EventKind..., week=iso_week(today), org="kalayaan", ...)
    data = encode_entry(entry)                      # store as the entry row
    frontier = Frontier.from_bytes(size, stored)    # kept beside the size: no node reads
    new_nodes = frontier.append(leaf_hash(data))    # store these rows too
    stored = frontier.to_bytes()                    # and the new frontier
    # now and then (not per append), over everything appended so far:
    sth = sign_tree_head(signing_key, tree_size=frontier.size,
                         timestamp_ms=clock_ms(), root_hash=frontier.root())

and on the verifier side::

    report = audit_log(entries, tree_heads, verify_key, since=saved_head)
"""

from safereport.core.ledger.audit import AuditReport, Problem, ProblemKind, audit_log
from safereport.core.ledger.entries import (
    COMMITMENT_LABEL,
    Commitment,
    Decision,
    Entry,
    check_entry,
    decode_entry,
    encode_entry,
    entries_page_from_json,
    entries_page_to_json,
    find_committed,
    iso_week,
    make_commitment,
    matches_commitment,
)
from safereport.core.ledger.errors import (
    CommitmentKeyError,
    ConsistencyProofInvalid,
    EntryError,
    EntryInvalidValue,
    EntryNotCanonical,
    EntryUnknownField,
    InclusionProofInvalid,
    LedgerError,
    MalformedHash,
    MalformedProof,
    MalformedTreeHead,
    MissingNode,
    ProofInvalid,
    TreeHeadKeyMismatch,
    TreeHeadSignatureInvalid,
    TreeRangeError,
)
from safereport.core.ledger.merkle import (
    EMPTY_ROOT,
    ConsistencyProof,
    Frontier,
    InclusionProof,
    MerkleTree,
    Node,
    NodeId,
    NodeReader,
    consistency_proof,
    frontier_node_ids,
    inclusion_proof,
    leaf_hash,
    node_hash,
    nodes_for_consistency_proof,
    nodes_for_inclusion_proof,
    nodes_for_root,
    root_from_inclusion_proof,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from safereport.core.ledger.treehead import (
    STH_LABEL,
    SignedTreeHead,
    TreeHead,
    key_id,
    public_key_from_json,
    public_key_to_json,
    sign_tree_head,
    verify_tree_head,
)

__all__ = [
    "COMMITMENT_LABEL",
    "EMPTY_ROOT",
    "STH_LABEL",
    "AuditReport",
    "Commitment",
    "CommitmentKeyError",
    "ConsistencyProof",
    "ConsistencyProofInvalid",
    "Decision",
    "Entry",
    "EntryError",
    "EntryInvalidValue",
    "EntryNotCanonical",
    "EntryUnknownField",
    "Frontier",
    "InclusionProof",
    "InclusionProofInvalid",
    "LedgerError",
    "MalformedHash",
    "MalformedProof",
    "MalformedTreeHead",
    "MerkleTree",
    "MissingNode",
    "Node",
    "NodeId",
    "NodeReader",
    "Problem",
    "ProblemKind",
    "ProofInvalid",
    "SignedTreeHead",
    "TreeHead",
    "TreeHeadKeyMismatch",
    "TreeHeadSignatureInvalid",
    "TreeRangeError",
    "audit_log",
    "check_entry",
    "consistency_proof",
    "decode_entry",
    "encode_entry",
    "entries_page_from_json",
    "entries_page_to_json",
    "find_committed",
    "frontier_node_ids",
    "inclusion_proof",
    "iso_week",
    "key_id",
    "leaf_hash",
    "make_commitment",
    "matches_commitment",
    "node_hash",
    "nodes_for_consistency_proof",
    "nodes_for_inclusion_proof",
    "nodes_for_root",
    "public_key_from_json",
    "public_key_to_json",
    "root_from_inclusion_proof",
    "root_hash",
    "sign_tree_head",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]
