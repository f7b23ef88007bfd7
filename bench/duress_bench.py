"""Duress-phrase benchmark: does the page after her second phrase take the
same time on the server as the page after a wrong phrase?

Usage::

    .venv/bin/python bench/duress_bench.py [--repeats N]

Runs the real Django stack in this process on a fresh SQLite database under a
temporary folder, with the demo organisations and the configured Argon2id
receipt cost. One report with a second phrase; then, interleaved, N POSTs of
/ar/return/ with a well-formed wrong Arabic receipt (the baseline) and N with
the second phrase, each from a fresh client whose proof of work is solved
before the clock starts. Prints p50 and p99 of each and their difference.
Both enqueue the same job (the queue is the SQLite file in the scratch data
folder; no worker runs here, so the flag itself is written by nobody).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    os.environ["SAFEREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="safereport-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from safereport.accounts import keys
    from safereport.accounts.demo import seed_demo
    from safereport.accounts.models import StaffUser
    from safereport.cases.actions import (
        NewReport,
        derive_receipt_in,
        do_set_duress_phrase,
        do_submit_report,
    )
    from safereport.core.crypto.receipts import new_receipt
    from safereport.core.vocabulary import Section
    from sr_testing.proofs import solved

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    seed_demo()
    caseworker = StaffUser.objects.get(username="lucia")
    _shown, receipt = derive_receipt_in("ar")
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="support_only",
            custodian=caseworker.organisation,  # type: ignore[arg-type]
            sections={Section.INCIDENT: {"what": "x" * 500, "when": "", "where": ""}},
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    duress, duress_keys = derive_receipt_in("ar")
    do_set_duress_phrase(report, duress_keys)

    with translation.override("ar"):
        url = reverse("public:return_start")

    def one(typed: str) -> tuple[float, int, int]:
        client = Client()
        proof = solved(client.get(url).content.decode())
        start = time.perf_counter()
        response = client.post(url, {"passphrase": typed, **proof})
        return time.perf_counter() - start, response.status_code, len(response.content)

    wrong_times, duress_times, sizes = [], [], set()
    for _ in range(args.repeats):
        took, status, size = one(new_receipt("ar").text)
        wrong_times.append(took)
        sizes.add(("wrong", status, size))
        took, status, size = one(duress.text)
        duress_times.append(took)
        sizes.add(("duress", status, size))

    def p(times: list[float], q: float) -> float:
        ordered = sorted(times)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    print(f"receipt Argon2id cost: {keys.vault().receipt_cost}")
    print(f"wrong phrase  p50 {p(wrong_times, 0.5):7.1f} ms  p99 {p(wrong_times, 0.99):7.1f} ms")
    print(f"duress phrase p50 {p(duress_times, 0.5):7.1f} ms  p99 {p(duress_times, 0.99):7.1f} ms")
    print(f"difference of medians {p(duress_times, 0.5) - p(wrong_times, 0.5):+.1f} ms")
    print(f"(status, bytes) seen: {sorted(sizes)}")


if __name__ == "__main__":
    main()
