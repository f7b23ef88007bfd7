"""Typed errors of the crypto core.

Every failure to open something (wrong key, wrong password, tampered or
swapped ciphertext) is a ``DecryptionFailed`` or a subclass of it, so callers
can catch one type. The messages are plain English for logs and developers;
the Django layer shows people its own generic, translated words (a wrong
passphrase must get one generic message, whatever the cause).
"""

from __future__ import annotations


class CryptoError(Exception):
    """Base class for every error raised by ``safereport.core.crypto``."""


class DecryptionFailed(CryptoError):
    """Ciphertext did not open: wrong key, tampered bytes, or a ciphertext
    that belongs to another report, section or person."""


class WrongPassphrase(DecryptionFailed):
    """The receipt passphrase does not open this report."""


class WrongPassword(DecryptionFailed):
    """The staff password does not open this staff member's key."""


class WrongRecoverySecret(DecryptionFailed):
    """The recovery secret does not open this organisation's key."""


class MalformedPassphrase(CryptoError, ValueError):
    """Typed text is not a receipt passphrase: wrong number of words, or
    words that are not in the list. ``unknown_positions`` are 1-based."""

    def __init__(self, message: str, *, word_count: int, unknown_positions: tuple[int, ...]):
        super().__init__(message)
        self.word_count = word_count
        self.unknown_positions = unknown_positions


class MalformedRecoverySecret(CryptoError, ValueError):
    """Typed text is not an organisation recovery secret."""


class ReportShredded(CryptoError):
    """The report's wrapped keys were destroyed: its content is gone for good."""


class WeakKdfCost(CryptoError, ValueError):
    """Key-derivation cost below the production floor (or outside what
    libsodium accepts)."""


class FirewallRefusal(CryptoError):
    """A disclosure package the firewall never allows (immigration data to
    anyone but a legal adviser, anything to an immigration authority).

    The Cedar policy decides disclosures; this is a second, independent
    refusal in the crypto layer so a policy bug cannot seal such a package."""
