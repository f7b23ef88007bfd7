"""Screenshots of the public pages and the reporter journey at 360 px, in English and Arabic.

Usage::

    .venv/bin/python scripts/screenshots.py [--out var/screenshots] [--width 360]
        [--languages en ar] [--javascript]

It starts the application on a free local port (Django's runserver-like
threaded test server, on a scratch SQLite database with the demo
organisations), drives the system Chromium (/usr/bin/chromium, or
SAFEREPORT_CHROMIUM) through Playwright with JavaScript off by default, as on
a basic phone, and saves one full-page PNG per page:

    <out>/<language>/<nn>-<name>.png

Nothing is downloaded, and every request to another host is refused. The
PNG files are not committed (var/ is ignored); attach them to a review or
use them in the docs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def _serve() -> str:
    """Start the WSGI application on a free port in a thread; return its address."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--width", type=int, default=360)
    parser.add_argument("--languages", nargs="+", default=["en", "ar"])
    parser.add_argument("--javascript", action="store_true", help="JavaScript on (default: off)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="sr-screenshots-")
    os.environ["SAFEREPORT_DATA_DIR"] = scratch
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safereport.settings")
    os.environ["SAFEREPORT_ALLOWED_HOSTS"] = "127.0.0.1"

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from safereport.accounts.demo import seed_demo

    seed_demo()
    server = _serve()

    from playwright.sync_api import Page, Route, sync_playwright

    from i18n.public_site import is_page, public_paths
    from sr_testing.browser import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        sys.exit(
            "Chromium not found: install the Debian package `chromium` or set SAFEREPORT_CHROMIUM."
        )
    out = Path(args.out)
    host = urlparse(server).netloc
    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for language in args.languages:
            folder = out / language
            folder.mkdir(parents=True, exist_ok=True)
            for old_png in folder.glob("*.png"):
                old_png.unlink()
            context = browser.new_context(
                java_script_enabled=args.javascript,
                viewport={"width": args.width, "height": 740},
                device_scale_factor=2,
            )
            page = context.new_page()

            def local_only(route: Route) -> None:
                if urlparse(route.request.url).netloc == host:
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", local_only)

            def shot(name: str, page: Page = page, folder: Path = folder) -> None:
                path = folder / f"{len(list(folder.glob('*.png'))) + 1:02d}-{name}.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)

            # Every public page that shows something on GET.
            for path in public_paths(language):
                response = page.request.get(server + path, max_redirects=0)
                if not is_page(response.status) or response.status == 302:
                    continue
                page.goto(server + path)
                name = path.strip("/").replace("/", "-") or language
                shot(re.sub(r"[^a-z0-9-]", "", name) or "home")

            # The journey, by field names: the same in every language.
            answers: list[tuple[str, dict[str, str]]] = [
                ("kind", {"crime_type": "domestic_abuse"}),
                ("what-happened", {"what": "He shouted and took my phone.", "when": "Friday"}),
                ("person", {}),
                ("what-you-want", {"wants": "support_only"}),
                ("safe-contact", {}),
                ("about-you", {}),
                ("attachments", {}),
                ("area", {}),
            ]
            page.goto(f"{server}/{language}/report/kind/")
            # The first question once with its error summary: nothing chosen.
            page.locator("main form[method=post] button[type=submit]").first.click()
            shot("journey-kind-error")
            for slug, values in answers:
                page.goto(f"{server}/{language}/report/{slug}/")
                for field, value in values.items():
                    locator = page.locator(f'main form [name="{field}"]')
                    if locator.first.get_attribute("type") == "radio":
                        page.locator(f'main form [name="{field}"][value="{value}"]').check()
                    else:
                        locator.first.fill(value)
                shot(f"journey-{slug}")
                page.locator("main form[method=post] button[type=submit]").first.click()
            page.locator('main form input[name="organisation"]').first.check()
            shot("journey-organisation")
            page.locator("main form[method=post] button[type=submit]").first.click()
            shot("journey-review")
            page.locator('main form[action$="/report/submit/"] button[type=submit]').click()
            shot("journey-receipt")
            context.close()
        browser.close()
    for path in saved:
        print(path)
    print(f"{len(saved)} screenshots at {args.width} px in {out}")


if __name__ == "__main__":
    main()
