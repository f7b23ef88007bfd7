"""Typed errors of the transparency log.

Every failure the ledger can report is a subclass of :class:`LedgerError`, so
a caller can catch the family or one precise member. Errors about arguments
the caller got wrong (an index past the end, a malformed entry) also derive
from :class:`ValueError`; errors about evidence that does not hold up (a proof
that does not verify, a signature that is wrong) do not, so they cannot be
swallowed by a broad ``except ValueError``.
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error raised by ``safereport.core.ledger``."""


# --- arguments -------------------------------------------------------------


class TreeRangeError(LedgerError, ValueError):
    """A leaf index or tree size is negative, past the end, or out of order."""


class MalformedHash(LedgerError, ValueError):
    """A hash is not 32 bytes (or not 64 lowercase hex digits in JSON)."""


class MalformedProof(LedgerError, ValueError):
    """A proof's JSON shape is wrong: missing or unknown keys, bad types."""


class MissingNode(LedgerError, LookupError):
    """A node store was asked for a subtree hash it does not hold.

    Storage adapters raise this from ``read_nodes`` when a requested node is
    absent, which means the tree they hold is smaller than the caller assumed
    (or rows were deleted).
    """


# --- entries ---------------------------------------------------------------


class EntryError(LedgerError, ValueError):
    """A log entry is not acceptable. Subclasses say why."""


class EntryUnknownField(EntryError):
    """An entry carries a field outside the allow-list."""


class EntryInvalidValue(EntryError):
    """An allowed field holds a value of the wrong type or form."""


class EntryNotCanonical(EntryError):
    """Entry bytes decode, but are not the one canonical encoding."""


class CommitmentKeyError(LedgerError, ValueError):
    """A commitment key or nonce source is unusable (too short, wrong size)."""


# --- tree heads ------------------------------------------------------------


class MalformedTreeHead(LedgerError, ValueError):
    """A tree head or public key JSON object has the wrong shape or values."""


class TreeHeadKeyMismatch(LedgerError):
    """A signed tree head names a key other than the one supplied to verify it."""


class TreeHeadSignatureInvalid(LedgerError):
    """The Ed25519 signature on a tree head does not verify."""


# --- proofs ----------------------------------------------------------------


class ProofInvalid(LedgerError):
    """A Merkle proof does not verify. Subclasses say which kind."""


class InclusionProofInvalid(ProofInvalid):
    """An inclusion proof does not lead from the leaf to the root."""


class ConsistencyProofInvalid(ProofInvalid):
    """A consistency proof does not show the first tree is a prefix of the second."""
