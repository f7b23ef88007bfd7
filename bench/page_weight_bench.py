"""Page weight: the bytes each public page costs a person on a pay-as-you-go phone.

Usage::

    .venv/bin/python bench/page_weight_bench.py [--language en] [--all-languages]

How it measures: Django's test client through the full middleware stack
(every middleware in settings.MIDDLEWARE, WhiteNoise for the static files),
on a scratch SQLite database in a temporary folder with the demo
organisations seeded. Every request sends ``Accept-Encoding: gzip, br``.

The application itself does not compress HTML today (there is no
GZipMiddleware; compression is left to the TLS proxy in front, see
docs/operations.md), and WhiteNoise serves the static files uncompressed
unless collectstatic made compressed copies. So each row shows:

* ``sent``: the body bytes the application sends for that request, with the
  Content-Encoding it chose (``identity`` when it did not compress);
* ``gzip``: the same body compressed with gzip level 6 here, what a proxy
  with default nginx/Caddy gzip settings would put on the wire. (Brotli is
  not installed in this environment, so no brotli column.)

Headers are not counted. Rows:

* baseline: a minimal HTML page (doctype, title, one paragraph), compressed
  the same way, measured in this run;
* every public page (the same list the accessibility tests walk), one
  language or all six;
* the shared static files a first visit loads (stylesheet, quick-exit
  script, favicon), counted once, since later pages reuse them;
* the reporter journey: every page and answer from the home page to the
  receipt, as the test client walks it without JavaScript (GET each question,
  POST the answer, follow the redirect); then its total with and without
  the static files.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

BASELINE_HTML = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hello</title>'
    b"</head><body><p>Hello, world.</p></body></html>"
)


@dataclass
class Row:
    label: str
    status: int
    encoding: str
    sent: int
    gzipped: int


def _gzip_size(body: bytes) -> int:
    if not body:
        return 0  # a redirect: nothing to compress
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def _measure(client, label: str, method: str, path: str, data=None) -> tuple[Row, object]:  # type: ignore[no-untyped-def]
    headers = {"accept-encoding": "gzip, br"}
    if method == "GET":
        response = client.get(path, headers=headers)
    else:
        response = client.post(path, data or {}, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    encoding = response.headers.get("Content-Encoding", "identity")
    raw = gzip.decompress(body) if encoding == "gzip" else body
    return Row(label, response.status_code, encoding, len(body), _gzip_size(raw)), response


def _print(rows: list[Row], title: str) -> None:
    print(f"\n{title}")
    print(f"{'request':58} {'status':>6} {'encoding':>9} {'sent B':>9} {'gzip B':>8}")
    for r in rows:
        print(f"{r.label:58.58} {r.status:>6} {r.encoding:>9} {r.sent:>9,} {r.gzipped:>8,}")


def _total(rows: list[Row]) -> tuple[int, int]:
    return sum(r.sent for r in rows), sum(r.gzipped for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en")
    parser.add_argument("--all-languages", action="store_true")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="sr-page-weight-")
    os.environ["SAFEREPORT_DATA_DIR"] = scratch
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
    os.environ["SAFEREPORT_ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from safereport.accounts.demo import seed_demo

    seed_demo()
    from i18n.public_site import is_page, public_paths
    from sr_testing.proofs import solved

    print("Page weight: Django test client through the full middleware stack,")
    print(f"scratch SQLite database in {scratch}, demo organisations seeded.")
    print("Accept-Encoding: gzip, br on every request; 'gzip' = body compressed here at level 6.")

    baseline = Row("baseline: minimal HTML page", 200, "identity", len(BASELINE_HTML), 0)
    baseline.gzipped = _gzip_size(BASELINE_HTML)
    _print([baseline], "Baseline")

    client = Client()
    languages = [code for code, _ in settings.LANGUAGES] if args.all_languages else [args.language]
    page_rows: list[Row] = []
    for language in languages:
        for path in public_paths(language):
            row, response = _measure(client, f"GET {path}", "GET", path)
            if is_page(row.status) and row.status != 302:  # redirects lead to pages listed
                page_rows.append(row)
    _print(page_rows, "Public pages (HTML only)")

    from django.templatetags.static import static

    static_rows = [
        _measure(client, f"GET {static(name)}", "GET", static(name))[0]
        for name in (
            "safereport/site.css",
            "safereport/quick-exit.js",
            "safereport/proof.js",
            "safereport/favicon.svg",
        )
    ]
    _print(static_rows, "Static files a first visit loads (once; cached afterwards)")

    lang = languages[0]
    journey: list[Row] = []
    steps: list[tuple[str, str, dict[str, str] | None]] = [
        ("GET", f"/{lang}/", None),
        ("GET", f"/{lang}/report/", None),
        ("GET", f"/{lang}/report/kind/", None),
        ("POST", f"/{lang}/report/kind/", {"crime_type": "domestic_abuse"}),
        ("GET", f"/{lang}/report/what-happened/", None),
        (
            "POST",
            f"/{lang}/report/what-happened/",
            {"what": "He shouted at me and took my phone.", "when": "Friday", "where": ""},
        ),
        ("GET", f"/{lang}/report/person/", None),
        ("POST", f"/{lang}/report/person/", {"who": "", "relationship": "", "more": ""}),
        ("GET", f"/{lang}/report/what-you-want/", None),
        ("POST", f"/{lang}/report/what-you-want/", {"wants": "support_only", "needs": ""}),
        ("GET", f"/{lang}/report/safe-contact/", None),
        ("POST", f"/{lang}/report/safe-contact/", {"channel": ""}),
        ("GET", f"/{lang}/report/about-you/", None),
        ("POST", f"/{lang}/report/about-you/", {"name": "", "other": ""}),
        ("GET", f"/{lang}/report/attachments/", None),
        ("POST", f"/{lang}/report/attachments/", {"action": "continue"}),
        ("GET", f"/{lang}/report/area/", None),
        ("POST", f"/{lang}/report/area/", {"area": ""}),
        ("GET", f"/{lang}/report/organisation/", None),
        ("POST", f"/{lang}/report/organisation/", {"organisation": "FIRST"}),
        ("GET", f"/{lang}/report/review/", None),
    ]
    import re

    page_html = ""
    for method, path, data in steps:
        if data and data.get("organisation") == "FIRST":
            # The first organisation the previous page (the organisation question) offers.
            offered = re.search(r'name="organisation" value="([^"]+)"', page_html)
            assert offered, "the organisation question offers at least one organisation"
            data = {"organisation": offered.group(1)}
        if data and "pow_challenge" in page_html:  # the first answer's proof of work
            data = {**data, **solved(page_html)}
        row, response = _measure(client, f"{method} {path}", method, path, data)
        page_html = response.content.decode()  # type: ignore[attr-defined]
        assert row.status in (200, 302), f"{method} {path}: {row.status}"
        journey.append(row)
    review = response.content.decode()  # type: ignore[attr-defined]
    token = re.search(r'name="draft" value="([^"]+)"', review)
    assert token, "the review page carries the draft token"
    row, response = _measure(
        client,
        f"POST /{lang}/report/submit/",
        "POST",
        f"/{lang}/report/submit/",
        {"draft": token.group(1), **solved(review)},
    )
    assert row.status == 200 and b"data-passphrase" in response.content  # type: ignore[attr-defined]
    journey.append(row)
    _print(journey, f"The reporter journey in '{lang}', home page to receipt (no JavaScript)")

    pages_sent, pages_gzip = _total(page_rows)
    static_sent, static_gzip = _total(static_rows)
    journey_sent, journey_gzip = _total(journey)
    print("\nTotals (bytes)")
    print(f"{'':58} {'sent B':>9} {'gzip B':>8}")
    print(f"{'baseline: minimal HTML page':58} {baseline.sent:>9,} {baseline.gzipped:>8,}")
    print(
        f"{'public pages, HTML (' + str(len(page_rows)) + ' pages)':58} "
        f"{pages_sent:>9,} {pages_gzip:>8,}"
    )
    print(f"{'static files, once':58} {static_sent:>9,} {static_gzip:>8,}")
    print(
        f"{'journey, HTML (' + str(len(journey)) + ' requests)':58} "
        f"{journey_sent:>9,} {journey_gzip:>8,}"
    )
    print(
        f"{'journey + static files once':58} "
        f"{journey_sent + static_sent:>9,} {journey_gzip + static_gzip:>8,}"
    )
    if page_rows:
        largest = max(page_rows, key=lambda r: r.gzipped)
        print(
            f"\nLargest page: {largest.label} {largest.gzipped:,} B gzip "
            f"({largest.gzipped / baseline.gzipped:.1f}x the minimal page)"
        )


if __name__ == "__main__":
    main()
