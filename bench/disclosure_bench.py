"""Disclosure benchmark: the server-side cost of one disclosure, end to end.

Usage::

    cd /work/main && .venv/bin/python bench/disclosure_bench.py [--repeats N]

``bench/firewall_bench.py`` measures the Cedar decision alone; this one
measures what ``disclosures.actions.do_disclose_report`` adds around it, on
the real Django stack in this process (a fresh SQLite database under a
temporary folder, the demo organisations and keys, production key costs for
the one-off unlocks). In one run it prints p50 and p99 of:

* **decide() alone** on the same request (the baseline);
* **a refused disclosure** (no consent): build the request from the
  database, decide, write the attempt row, append and sign the
  transparency-log entry, write the audit row, in one transaction;
* **an allowed disclosure** of three sections and one attachment: the same,
  plus opening the report and re-sealing the sections into a package for
  the recipient organisation's key.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def percentiles(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return statistics.median(times), p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="safereport-bench-")
    os.environ["SAFEREPORT_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
    import django

    django.setup()

    from django.core.management import call_command

    from safereport.accounts import keys
    from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
    from safereport.accounts.models import Organisation, StaffKey, StaffUser
    from safereport.cases.actions import CleanFile, NewReport, derive_new_receipt, do_submit_report
    from safereport.core import policy
    from safereport.core.vocabulary import Purpose, Section
    from safereport.disclosures.actions import do_disclose_report, do_record_spoken_consent
    from safereport.disclosures.models import DisclosureAttempt, DisclosurePackage
    from safereport.disclosures.selectors import build_request

    call_command("migrate", verbosity=0)
    seed_demo()
    caseworker = StaffUser.objects.get(username="lucia")
    custodian = caseworker.organisation
    assert custodian is not None
    police = Organisation.objects.get(slug="riverside-police")
    service = Organisation.objects.get(slug="harbour-da")
    staff = keys.vault().unlock_staff(
        keys.staff_id(caseworker),
        keys.record_of(StaffKey.objects.get(staff=caseworker)),
        DEMO_PASSWORD,
    )
    org_key = keys.unlock_organisation_for(caseworker, staff)
    assert org_key is not None

    story = "Lo que pasó. " * 140  # about 1.8 KB, as in the other benchmarks
    _, receipt = derive_new_receipt()
    report = do_submit_report(
        NewReport(
            crime_type="domestic_abuse",
            wants="police_through_organisation",
            custodian=custodian,
            sections={
                Section.INCIDENT: {"what": story, "when": "Friday", "where": "London"},
                Section.PERPETRATOR: {"who": "Employer"},
                Section.CONTACT: {"channel": "text_message", "safe_times": "after 9pm"},
            },
            attachments=(CleanFile(data=("Transcript. " * 800).encode(), media_type="text/plain"),),
        ),
        receipt=receipt,
        submission_token=None,
        acting_user=None,
    )
    sections = [Section.INCIDENT, Section.PERPETRATOR, Section.CONTACT, Section.ATTACHMENTS]
    do_record_spoken_consent(
        report,
        recipient=police,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=sections,
        note="By phone.",
        acting_user=caseworker,
    )

    request = build_request(
        report,
        actor=caseworker,
        recipient=police,
        purpose=Purpose.CRIME_INVESTIGATION,
        sections=sections,
        override=None,
    )
    decide_p50, decide_p99 = percentiles(lambda: policy.decide(request), args.repeats)

    def refused() -> None:
        outcome = do_disclose_report(
            report,
            recipient=service,
            purpose=Purpose.SUPPORT_REFERRAL,
            sections=[Section.INCIDENT],
            organisation_key=org_key,
            acting_user=caseworker,
        )
        assert not outcome.allowed

    def allowed() -> None:
        outcome = do_disclose_report(
            report,
            recipient=police,
            purpose=Purpose.CRIME_INVESTIGATION,
            sections=sections,
            organisation_key=org_key,
            acting_user=caseworker,
        )
        assert outcome.allowed

    refused_p50, refused_p99 = percentiles(refused, args.repeats)
    allowed_p50, allowed_p99 = percentiles(allowed, args.repeats)
    assert DisclosurePackage.objects.count() == args.repeats
    assert DisclosureAttempt.objects.count() == 2 * args.repeats

    load = os.getloadavg()
    print(f"SafeReport disclosure benchmark ({args.repeats} runs each, one process)")
    print(f"Python {sys.version.split()[0]}, SQLite in {data_dir}, load average {load[0]:.2f}")
    print()
    print(f"{'operation':<58} {'p50':>9} {'p99':>9} {'x decide':>9}")
    for label, p50, p99 in (
        ("core.policy.decide() alone (baseline)", decide_p50, decide_p99),
        ("refused disclosure (attempt + signed log entry + audit)", refused_p50, refused_p99),
        ("allowed disclosure (+ package of 3 sections + 1 file)", allowed_p50, allowed_p99),
    ):
        print(f"{label:<58} {p50 * 1000:>7.2f}ms {p99 * 1000:>7.2f}ms {p50 / decide_p50:>8.0f}x")


if __name__ == "__main__":
    main()
