"""A flood of report submissions from one client, for the flood test and bench.

``prepare`` walks the public journey once per draft (the client needs a
draft to send, one per cookie jar); ``burst`` then sends every draft at the
same moment, one thread each, and sorts the answers: a receipt, the busy
page (503 with ``Retry-After`` and a form that sends the same draft again),
or anything else. ``MemorySampler`` adds up the resident memory of a
gunicorn master and its workers, every few milliseconds, from ``/proc``.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sr_testing.servers import Browser, Server, journey_steps, passphrase_in, token_in

BUSY = "Very busy right now"


@dataclass
class Draft:
    browser: Browser
    token: str  # the draft's own token (the review page's hidden field)
    csrf: str


@dataclass
class Answer:
    status: int
    page: str
    retry_after: str | None
    seconds: float

    @property
    def receipt(self) -> str | None:
        return passphrase_in(self.page) if self.status == 200 else None

    @property
    def busy(self) -> bool:
        return self.status == 503 and BUSY in self.page and self.retry_after is not None

    def again(self) -> tuple[str, dict[str, list[str]]]:
        """The busy page's "Try again" form: where it posts and its hidden fields."""
        action = re.search(r'<form method="post" action="([^"]+)"', self.page)
        assert action, self.page[:2000]
        fields: dict[str, list[str]] = {}
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', self.page
        ):
            fields.setdefault(name, []).append(value)
        return action.group(1), fields


def prepare(port: int, n: int, text: str = "Flood test") -> Draft:
    """One browser with a complete draft, at its review page."""
    browser = Browser(timeout=300)
    status, page, _ = browser.get(port, "/en/report/kind/")  # the first question's form
    assert status == 200, status
    csrf = token_in(page)
    for slug, data in journey_steps(f"{text} {n}"):
        status, _, location = browser.post(port, f"/en/report/{slug}/", data, csrf)
        assert status == 302 and "/report/kind/" not in location, (slug, status, location)
    status, page, _ = browser.get(port, "/en/report/review/")
    assert status == 200, status
    draft = re.search(r'name="draft" value="([^"]+)"', page)
    assert draft, page[:2000]
    return Draft(browser, draft.group(1), token_in(page))


def post(draft: Draft, port: int, path: str, fields: dict[str, list[str]]) -> Answer:
    """POST ``fields`` as this draft's browser; the answer with its Retry-After."""
    body = urllib.parse.urlencode(
        {**fields, "csrfmiddlewaretoken": [draft.csrf]}, doseq=True
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers={"Origin": f"http://127.0.0.1:{port}"}
    )
    started = time.monotonic()
    try:
        with draft.browser.opener.open(request, timeout=draft.browser.timeout) as response:
            status, page, retry = response.status, response.read().decode(), None
    except urllib.error.HTTPError as refused:
        status, page = refused.code, refused.read().decode()
        retry = refused.headers.get("Retry-After")
    return Answer(status, page, retry, time.monotonic() - started)


def send(draft: Draft, port: int) -> Answer:
    return post(draft, port, "/en/report/submit/", {"draft": [draft.token]})


def still_kept(draft: Draft, port: int) -> bool:
    """The draft is still there to send: its review page shows the same token."""
    status, page, _ = draft.browser.get(port, "/en/report/review/")
    return status == 200 and f'name="draft" value="{draft.token}"' in page


def in_parallel[T](count: int, threads: int, task: Callable[[int], T]) -> list[T]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(task, range(count)))


@dataclass
class Burst:
    answers: list[Answer]
    seconds: float

    @property
    def statuses(self) -> Counter[int]:
        return Counter(a.status for a in self.answers)

    @property
    def accepted(self) -> int:
        return sum(1 for a in self.answers if a.receipt)

    @property
    def refused(self) -> int:
        return sum(1 for a in self.answers if a.busy)


def burst(drafts: list[Draft], port: int, before_start: Callable[[], None] = lambda: None) -> Burst:
    """Send every draft at the same moment, one thread each."""
    ready = threading.Barrier(len(drafts) + 1)
    answers: list[Answer | None] = [None] * len(drafts)

    def one(k: int) -> None:
        ready.wait()
        answers[k] = send(drafts[k], port)

    threads = [threading.Thread(target=one, args=(k,)) for k in range(len(drafts))]
    for thread in threads:
        thread.start()
    before_start()
    started = time.monotonic()
    ready.wait()
    for thread in threads:
        thread.join()
    done = [a for a in answers if a is not None]
    assert len(done) == len(drafts)
    return Burst(done, time.monotonic() - started)


def _rss_bytes(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class MemorySampler:
    """The sum of the resident memory of a gunicorn master and its workers,
    sampled every ``every`` seconds while running (``with sampler:``)."""

    server: Server
    every: float = 0.01
    peak: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def now(self) -> int:
        assert self.server.process is not None
        pids = [self.server.process.pid, *self.server.workers()]
        return sum(_rss_bytes(pid) for pid in pids)

    def _run(self) -> None:
        workers = self.server.workers()
        assert self.server.process is not None
        pids = [self.server.process.pid, *workers]
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss_bytes(pid) for pid in pids))
            self.samples += 1
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()
