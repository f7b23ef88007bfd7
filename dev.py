#!/usr/bin/env python3
"""Set up and run SafeReport with nothing but Python 3.12 or newer.

    python3 dev.py demo     install, migrate, seed the demo, serve http://127.0.0.1:8000
                            (with a job worker beside the server)
    python3 dev.py test     install the test tools, lint, type-check and run every test
    python3 dev.py setup    only install (with the test tools) into .venv

Everything is installed into ./.venv from the pinned versions in
constraints.txt; a stamp file avoids reinstalling when nothing changed.
Extra arguments after `test` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
MINIMUM = (3, 12)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def find_python() -> str:
    if sys.version_info >= MINIMUM:
        return sys.executable
    for name in ("python3.14", "python3.13", "python3.12"):
        found = shutil.which(name)
        if found:
            version = subprocess.run(  # noqa: S603 - a Python found on PATH, fixed arguments
                [found, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                capture_output=True,
                text=True,
                check=False,
            )
            if version.stdout.strip() == "True":
                return found
    sys.exit(
        f"SafeReport needs Python 3.12 or newer; this is {sys.version.split()[0]} and no "
        "python3.12+ was found on PATH. Install Python 3.12 and run this again with it."
    )


def run(*args: str | Path, env: dict[str, str] | None = None) -> int:
    command = [str(a) for a in args]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603 - our own tools


def must(*args: str | Path, env: dict[str, str] | None = None) -> None:
    code = run(*args, env=env)
    if code != 0:
        sys.exit(f"Failed (exit {code}): {' '.join(str(a) for a in args)}")


def ensure_installed(extras: str) -> None:
    if not (BIN / "python").exists():
        python = find_python()
        say(f"Creating .venv with {python}")
        must(python, "-m", "venv", VENV)
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes()
        + (ROOT / "constraints.txt").read_bytes()
        + extras.encode()
    ).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == wanted:
        return
    target = f".[{extras}]" if extras else "."
    say(f"Installing SafeReport{' and ' + extras + ' tools' if extras else ''} (pinned versions)")
    must(
        BIN / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        "constraints.txt",
        "-e",
        target,
    )
    stamp.write_text(wanted)


def demo(args: list[str]) -> int:
    ensure_installed("")
    safereport = BIN / "safereport"
    must(safereport, "migrate", "--noinput", "-v", "0")
    must(safereport, "demo")
    address = args[0] if args else "127.0.0.1:8000"
    say("Starting the job worker (mail, statistics, tree heads) on the embedded queue")
    worker = subprocess.Popen([str(safereport), "worker"], cwd=ROOT)  # noqa: S603 - our own command
    say(f"Serving on http://{address}/ (Ctrl+C stops it)")
    try:
        return run(safereport, "runserver", address, "--noreload")
    finally:
        worker.terminate()
        worker.wait()


def test(args: list[str]) -> int:
    ensure_installed("test")
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff (lint, security rules)", [BIN / "ruff", "check", "src", "tests", "bench", "dev.py"]),
        ("ruff (format)", [BIN / "ruff", "format", "--check", "src", "tests", "bench", "dev.py"]),
        ("mypy (strict, core)", [BIN / "mypy"]),
        (
            "firewall check (every invariant over the whole decision space)",
            [BIN / "safereport", "firewall", "check", "--workers", "2"],
        ),
    ]
    for label, command in steps:
        say(label)
        if run(*command) != 0:
            say(f"{label} failed")
            return 1
    say("pytest" + (" on PostgreSQL" if os.environ.get("DATABASE_URL") else " on SQLite"))
    code = run(BIN / "python", "-m", "pytest", *args)
    if code == 5:
        say("pytest collected no tests: that is a failure, not a pass")
        return 1
    return code


def setup(args: list[str]) -> int:
    ensure_installed("test")
    return 0


def main() -> int:
    commands = {"demo": demo, "test": test, "setup": setup}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
