"""A tqdm progress bar behind the core's ``progress(done, total)`` callbacks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from tqdm import tqdm


@contextmanager
def progress_bar(
    description: str, *, enabled: bool = True, stream: TextIO | None = None
) -> Iterator[Any]:
    """Yields a callback; the bar writes to stderr so stdout keeps only tables."""
    bar: tqdm[Any] | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if not enabled:
            return
        if bar is None:
            bar = tqdm(total=total, desc=description, file=stream or sys.stderr, leave=True)
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
