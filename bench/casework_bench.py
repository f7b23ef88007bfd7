"""Case-work benchmark: what a referral, a police handover and the reporter's
view of them cost on the server, against the bare disclosure they wrap.

Usage::

    cd /work/main && .venv/bin/python bench/casework_bench.py [--repeats N] [--updates N]

Runs the real Django stack in this process on a fresh SQLite database under a
temporary folder, with the demo organisations and keys (production key costs
for the one-off unlocks; mail goes to Django's in-memory outbox). In one run
it prints p50 and p99 of:

* **a bare allowed disclosure** (``do_disclose_report``, consent on record,
  one section to the demo domestic-abuse service): the baseline;
* **a referral** (``do_send_referral`` with the reporter's words recorded as
  consent): consent row and log entry, the disclosure, the referral, its
  history row, the audit row and the notification, in one transaction;
* **a police handover** (``do_send_to_police``, named, two sections);
* **the reporter's page** (GET /en/return/report/ with the receipt already
  opened in the session) for a report with no case work (baseline of the
  page), and for one with 3 referrals and one handover carrying N updates,
  each opened with the report key.

And **the caseworker's inbox** (GET /staff/cases/, signed in through the real
form) with 10 reports in the organisation, then with ``--inbox-reports``
(100,000 by default): the first page, a page deep in the list (by its
cursor), the "mine", "high risk" and "open legal deadline" filters and a search by
reference, each with its query count
and the ratio against the same page at 10 reports. The extra reports are
bulk-inserted rows with dummy ciphertext and spread creation times (the
inbox reads only clear columns); ``--only-inbox`` skips the other rows.

Ratios are against the baselines measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from disclosure_bench import percentiles  # noqa: E402 - the same p50/p99 as the disclosure bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--inbox-reports", type=int, default=100_000)
    parser.add_argument("--only-inbox", action="store_true")
    args = parser.parse_args()

    os.environ["SAFEREPORT_DATA_DIR"] = tempfile.mkdtemp(prefix="safereport-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from safereport.accounts import keys
    from safereport.accounts.demo import DEMO_PASSWORD, seed_demo
    from safereport.accounts.models import Organisation, StaffKey, StaffUser
    from safereport.cases.actions import NewReport, derive_new_receipt, do_submit_report
    from safereport.core.referrals import ReferralKind
    from safereport.core.vocabulary import Purpose, Section
    from safereport.disclosures.actions import do_disclose_report, do_record_spoken_consent
    from safereport.liaison.actions import do_post_update, do_send_to_police
    from safereport.liaison.models import Way
    from safereport.referrals.actions import do_send_referral
    from sr_testing.proofs import post_with_proof  # the return page's proof of work, solved

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    seed_demo()
    caseworker = StaffUser.objects.get(username="lucia")
    officer = StaffUser.objects.get(username="pc.hughes")
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

    def new_report() -> tuple[object, str]:
        passphrase, receipt = derive_new_receipt()
        report = do_submit_report(
            NewReport(
                crime_type="domestic_abuse",
                wants="police_through_organisation",
                custodian=caseworker.organisation,  # type: ignore[arg-type]
                sections={
                    Section.INCIDENT: {"what": story, "when": "Friday", "where": "London"},
                    Section.PERPETRATOR: {"who": "Employer"},
                },
            ),
            receipt=receipt,
            submission_token=None,
            acting_user=None,
        )
        return report, passphrase

    if args.only_inbox:
        inbox_rows(caseworker, args.repeats, args.inbox_reports)
        return
    report, _ = new_report()
    do_record_spoken_consent(
        report,
        recipient=service,
        purpose=Purpose.SUPPORT_REFERRAL,
        sections=[Section.INCIDENT],
        note="By phone.",
        acting_user=caseworker,
    )

    def bare() -> None:
        outcome = do_disclose_report(
            report,
            recipient=service,
            purpose=Purpose.SUPPORT_REFERRAL,
            sections=[Section.INCIDENT],
            organisation_key=org_key,
            acting_user=caseworker,
        )
        assert outcome.allowed

    def referral() -> None:
        sent = do_send_referral(
            report,
            kind=ReferralKind.DOMESTIC_ABUSE_SERVICE,
            service=service,
            sections=[Section.INCIDENT],
            consent_note="By phone today.",
            organisation_key=org_key,
            acting_user=caseworker,
        )
        assert sent.referral is not None

    def handover() -> None:
        sent = do_send_to_police(
            report,
            force=police,
            way=Way.NAMED,
            sections=[Section.INCIDENT, Section.PERPETRATOR],
            consent_words="By phone today.",
            organisation_key=org_key,
            acting_user=caseworker,
        )
        assert sent.handover is not None

    rows = [("bare allowed disclosure (baseline)", percentiles(bare, args.repeats))]
    rows.append(("referral: consent + disclosure + referral", percentiles(referral, args.repeats)))
    rows.append(("police handover: consent + disclosure", percentiles(handover, args.repeats)))

    # The reporter's page: a report without case work, and one with some.
    _plain, plain_phrase = new_report()
    busy, busy_phrase = new_report()
    for _ in range(3):
        report = busy
        referral()
    report = busy
    handover()
    the_handover = busy.police_handovers.get()  # type: ignore[attr-defined]
    for n in range(args.updates):
        do_post_update(the_handover, f"Update {n}: " + "news " * 40, acting_user=officer)

    def reader(passphrase: str) -> Client:
        client = Client()
        response = post_with_proof(client, "/en/return/", {"passphrase": passphrase})
        assert response.status_code == 302, response.status_code
        return client

    plain_client, busy_client = reader(plain_phrase), reader(busy_phrase)

    def page(client: Client) -> Callable[[], None]:
        def get() -> None:
            response = client.get("/en/return/report/")
            assert response.status_code == 200

        return get

    page_rows = [
        ("reporter's page, no case work (baseline)", percentiles(page(plain_client), args.repeats)),
        (
            f"reporter's page, 3 referrals + 1 handover with {args.updates} updates",
            percentiles(page(busy_client), args.repeats),
        ),
    ]

    print(f"SQLite, {args.repeats} repeats each, load average {os.getloadavg()[0]:.1f}")
    for group in (rows, page_rows):
        base = group[0][1][0]
        for name, (p50, p99) in group:
            figures = f"p50 {p50 * 1000:7.2f} ms  p99 {p99 * 1000:7.2f} ms"
            print(f"  {name:<62} {figures}  x{p50 / base:5.2f}")
    inbox_rows(caseworker, args.repeats, args.inbox_reports)


def fill_reports(organisation: object, total: int) -> None:
    """Bulk-insert reports until ``organisation`` holds ``total``: dummy keys and no
    sections (the inbox never opens them), one creation time per minute back
    from now, every 50th high risk and every 7th assigned to ``lucia``."""
    import datetime as dt
    import random

    from django.utils import timezone

    from safereport.accounts.models import StaffUser
    from safereport.cases.models import Report, new_public_id

    have = Report.objects.filter(custodian=organisation).count()
    lucia = StaffUser.objects.get(username="lucia")
    created = Report._meta.get_field("created_at")
    created.auto_now_add = False  # type: ignore[attr-defined]  # the bench sets the times itself
    start = timezone.now() - dt.timedelta(days=1)
    rng = random.Random(13)
    try:
        batch: list[Report] = []
        for n in range(have, total):
            batch.append(
                Report(
                    public_id=new_public_id(),
                    custodian=organisation,
                    crime_type="domestic_abuse",
                    wants="support_only",
                    status=rng.choice(["new", "in_progress", "waiting_for_reporter", "closed"]),
                    public_key=b"\0" * 32,
                    custodian_wrap=b"\0" * 80,
                    created_at=start - dt.timedelta(minutes=n, seconds=rng.random()),
                    risk_high=n % 50 == 0,
                    assigned_to=lucia if n % 7 == 0 else None,
                )
            )
            if len(batch) == 5000:
                Report.objects.bulk_create(batch)
                batch = []
        Report.objects.bulk_create(batch)
    finally:
        created.auto_now_add = True  # type: ignore[attr-defined]


def inbox_rows(caseworker: object, repeats: int, many: int) -> None:
    """The inbox at 10 reports and at ``many``, side by side."""
    from django.db import connection
    from django.test import Client

    from safereport.accounts.demo import DEMO_PASSWORD, _demo_backup_codes, seed_demo
    from safereport.cases.models import Report
    from safereport.cases.selectors import InboxCursor

    seed_demo()  # fresh backup codes
    organisation = caseworker.organisation  # type: ignore[attr-defined]
    client = Client()
    signed = client.post(
        "/staff/login/",
        {
            "username": "lucia",
            "password": DEMO_PASSWORD,
            "code": _demo_backup_codes("lucia")[0],
        },
    )
    assert signed.status_code == 302, signed.status_code

    def deep_cursor() -> str:
        """The cursor of the report nine tenths of the way down the list."""
        ordered = Report.objects.filter(custodian=organisation).order_by("-created_at", "-id")
        count = ordered.count()
        last = ordered.values_list("created_at", "pk")[count * 9 // 10]
        return InboxCursor(*last).encode()

    def measure() -> dict[str, tuple[float, int]]:
        pages = {
            "first page": "",
            "a page 90% down the list": f"after={deep_cursor()}",
            "filter: mine": "show=mine",
            "filter: high risk": "show=high-risk",
            "filter: open legal deadline": "show=deadline",
            "search by reference": "ref=abcdefghjkmn",
        }
        out = {}
        for name, query in pages.items():
            url = "/staff/cases/" + (f"?{query}" if query else "")

            def get(url: str = url) -> None:
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                get()
            out[name] = (percentiles(get, repeats)[0], len(queries))
        return out

    fill_reports(organisation, 10)
    few = measure()
    fill_reports(organisation, many)
    lots = measure()
    print(
        f"Inbox (SQLite, p50 of {repeats}, load average {os.getloadavg()[0]:.1f}): "
        f"10 reports vs {many:,} in one organisation"
    )
    for name, (small, small_queries) in few.items():
        big, big_queries = lots[name]
        print(
            f"  {name:<28} {small * 1000:7.2f} ms {small_queries:3d} queries | "
            f"{big * 1000:7.2f} ms {big_queries:3d} queries  x{big / small:5.2f}"
        )


if __name__ == "__main__":
    main()
