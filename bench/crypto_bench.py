"""Crypto benchmark: receipt key derivation and sealing a typical report.

Usage::

    PYTHONPATH=src /tmp/probe-venv/bin/python bench/crypto_bench.py [--repeats N]

Everything runs at the production Argon2id cost (``RECEIPT_COST``,
``PASSWORD_COST``) on this machine, in one run, next to a baseline measured
in the same run: one SHA-256 over the same bytes. Rows:

* receipt key derivation: ``Vault.derive_receipt`` (Argon2id, 64 bytes out),
  against SHA-256 of the passphrase;
* staff password unlock: ``Vault.unlock_staff`` (Argon2id plus one AEAD);
* seal a typical report: a fresh report key pair, its two wraps (receipt and
  custodian) and every section sealed (text sections of about 3 KB in total,
  plus one attachment of ``--attachment-kb``), against SHA-256 of the same
  plaintext bytes;
* open it as custodian: unwrap with the organisation key and open every
  section.

Times are the median of ``--repeats`` runs (the fastest is shown too). The
whole benchmark takes well under a minute on two cores.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable

from safereport.core.crypto import (
    PASSWORD_COST,
    RECEIPT_COST,
    Vault,
    new_installation_salt,
    seal_section,
)
from safereport.core.vocabulary import Section

SECTIONS: dict[Section, bytes] = {
    Section.INCIDENT: ("Lo que pasó. " * 140).encode(),  # about 1.8 KB of text
    Section.PERPETRATOR: ("Employer, restaurant, high street. " * 10).encode(),
    Section.IDENTITY: b"First name only: Maria",
    Section.CONTACT: b"WhatsApp after 9pm; code word sunflower; Spanish",
    Section.SUPPORT_NEEDS: ("Interpreter, housing advice, legal advice. " * 8).encode(),
}


def timed(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, fastest) seconds of ``action`` over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def fmt(seconds: float) -> str:
    if seconds >= 1e-1:
        return f"{seconds:8.3f} s "
    if seconds >= 1e-4:
        return f"{seconds * 1e3:8.3f} ms"
    return f"{seconds * 1e6:8.3f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per row (default 7)")
    parser.add_argument("--attachment-kb", type=int, default=200, help="attachment size")
    args = parser.parse_args()
    repeats = max(1, min(args.repeats, 50))  # bounded

    vault = Vault(installation_salt=new_installation_salt())  # production costs
    staff_record, staff = vault.new_staff("bench-staff", "a staff password")
    org = vault.new_organisation("bench-org", founder=staff)
    passphrase = vault.new_receipt_passphrase()
    receipt = vault.derive_receipt(passphrase)
    sections = dict(SECTIONS)
    attachment = os.urandom(args.attachment_kb * 1024)
    plaintext = b"".join(sections.values()) + attachment

    def seal_report() -> None:
        keyring = vault.new_report(
            "bench-report",
            custodian_org_id="bench-org",
            custodian_public_key=org.public_key,
            receipt=receipt,
        )
        for section, text in sections.items():
            seal_section("bench-report", keyring.public_key, section, text)
        seal_section(
            "bench-report", keyring.public_key, Section.ATTACHMENTS, attachment, item_id="a1"
        )

    keyring = vault.new_report(
        "bench-report",
        custodian_org_id="bench-org",
        custodian_public_key=org.public_key,
        receipt=receipt,
    )
    sealed = {
        s: seal_section("bench-report", keyring.public_key, s, t) for s, t in sections.items()
    }
    sealed_attachment = seal_section(
        "bench-report", keyring.public_key, Section.ATTACHMENTS, attachment, item_id="a1"
    )

    def open_report() -> None:
        report = vault.open_report_as_custodian(keyring, org.unlocked)
        for section, blob in sealed.items():
            report.open_section(section, blob)
        report.open_section(Section.ATTACHMENTS, sealed_attachment, item_id="a1")

    small_repeats = repeats
    fast_repeats = repeats * 20
    rows = [
        (
            "receipt key derivation (Argon2id)",
            timed(lambda: vault.derive_receipt(passphrase), small_repeats),
            timed(lambda: hashlib.sha256(passphrase.encode()).digest(), fast_repeats),
            "SHA-256 of the passphrase",
        ),
        (
            "staff password unlock (Argon2id + AEAD)",
            timed(
                lambda: vault.unlock_staff("bench-staff", staff_record, "a staff password"),
                small_repeats,
            ),
            timed(lambda: hashlib.sha256(b"a staff password").digest(), fast_repeats),
            "SHA-256 of the password",
        ),
        (
            f"seal a report (5 sections + {args.attachment_kb} KB, 2 key wraps)",
            timed(seal_report, fast_repeats),
            timed(lambda: hashlib.sha256(plaintext).digest(), fast_repeats),
            f"SHA-256 of the same {len(plaintext)} bytes",
        ),
        (
            "open it as custodian (unwrap + every section)",
            timed(open_report, fast_repeats),
            timed(lambda: hashlib.sha256(plaintext).digest(), fast_repeats),
            f"SHA-256 of the same {len(plaintext)} bytes",
        ),
    ]

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(
        f"receipt cost: opslimit={RECEIPT_COST.opslimit}, memlimit="
        f"{RECEIPT_COST.memlimit // (1024 * 1024)} MiB; password cost: opslimit="
        f"{PASSWORD_COST.opslimit}, memlimit={PASSWORD_COST.memlimit // (1024 * 1024)} MiB"
    )
    print(f"median of {small_repeats} runs (Argon2id rows) / {fast_repeats} runs (others)")
    print()
    header = (
        f"{'operation':50} {'median':>11} {'fastest':>11}   "
        f"{'baseline (same run)':38} {'median':>11} {'ratio':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, (median, fastest), (base_median, _), base_name in rows:
        ratio = median / base_median
        shown = f"{ratio:,.0f}x" if ratio >= 100 else f"{ratio:.1f}x"
        print(
            f"{name:50} {fmt(median):>11} {fmt(fastest):>11}   {base_name:38} "
            f"{fmt(base_median):>11} {shown:>10}"
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"peak resident memory of this process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
