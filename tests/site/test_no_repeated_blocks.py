"""No block of six or more identical lines of Python stands twice in src/
(migrations aside: Django writes those). A repeated block is logic that should
be one function; declarations alike only in shape (enum members, exception
classes, calls of one helper with other arguments) are not blocks repeated.

Lines are compared without their indentation. Skipped: blank lines, comments,
imports and docstrings (alike across modules by nature), and lines made only
of brackets and commas (``)``, ``],``), which join blocks without being logic.
``duplicates`` (the team's tool) finds the same: no pair of identical runs
outside migrations; what it still lists is alike in shape only."""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "safereport"
WINDOW = 6
_PUNCTUATION_ONLY = re.compile(r"^[\s()\[\]{},:]*$")

Place = tuple[str, int, int]  # file, first line, last line


def _skipped(tree: ast.Module) -> set[int]:
    """The lines of imports and docstrings: alike across modules by nature."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            skipped.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                skipped.update(range(body[0].lineno, (body[0].end_lineno or 0) + 1))
    return skipped


def _lines(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    skipped = _skipped(ast.parse(text))
    kept = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if number in skipped or not line or line.startswith("#"):
            continue
        if not _PUNCTUATION_ONLY.match(line):
            kept.append((number, line))
    return kept


def repeated_blocks(root: Path, window: int = WINDOW) -> list[str]:
    """Every block of at least ``window`` kept lines that stands in two
    places, as ``file:first-last ~ file:first-last`` (overlapping windows
    merged into one block)."""
    places: dict[tuple[str, ...], list[Place]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = _lines(path)
        name = path.relative_to(root.parent).as_posix()
        for i in range(len(lines) - window + 1):
            run = lines[i : i + window]
            places[tuple(text for _, text in run)].append((name, run[0][0], run[-1][0]))
    blocks: list[tuple[Place, Place]] = []
    for where in places.values():
        for a, b in itertools.combinations(sorted(where), 2):
            blocks.append((a, b))
    merged: list[tuple[Place, Place]] = []
    for a, b in sorted(blocks):
        if merged:
            (fa, sa, ea), (fb, sb, eb) = merged[-1]
            if (fa, fb) == (a[0], b[0]) and a[1] <= ea and b[1] <= eb:
                merged[-1] = ((fa, sa, max(ea, a[2])), (fb, sb, max(eb, b[2])))
                continue
        merged.append((a, b))
    return [f"{fa}:{sa}-{ea} ~ {fb}:{sb}-{eb}" for (fa, sa, ea), (fb, sb, eb) in merged]


def test_no_block_of_six_lines_stands_twice_in_src() -> None:
    repeated = repeated_blocks(SRC)
    assert repeated == [], "\n".join(repeated)


def test_the_scan_finds_a_repeated_block(tmp_path: Path) -> None:
    block = "\n".join(f"    total = total + {n}" for n in range(WINDOW))
    imports = "".join(f"from m{n} import x{n}\n" for n in range(WINDOW))
    body = f'{imports}def f(total):\n    """Docstring."""\n{block}\n    return total\n'

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text(body, encoding="utf-8")
    (package / "b.py").write_text("# copied\n" + body.replace("def f", "def g"), encoding="utf-8")
    (package / "migrations").mkdir()
    (package / "migrations" / "c.py").write_text(body, encoding="utf-8")
    assert repeated_blocks(package) == ["pkg/a.py:9-15 ~ pkg/b.py:10-16"]
