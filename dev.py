#!/usr/bin/env python3
"""Set up and run SafeReport with nothing but Python 3.12 or newer.

usage: python3 dev.py demo [ADDRESS]
       python3 dev.py test [PYTEST ARGUMENTS]
       python3 dev.py setup

  demo [ADDRESS]   install, migrate, seed the demo (about 30 s) and serve it on
                   ADDRESS, host:port or a port (default 127.0.0.1:8000), with
                   a job worker beside the server. Ctrl+C stops both.
  test [ARGS]      install the test tools (and Chromium, when it is missing and
                   this is root on Debian), lint, type-check, prove the firewall
                   and run the tests (the whole suite takes 25 to 30 minutes).
                   ARGS go to pytest, to run a part:
                     python3 dev.py test tests/core
                     python3 dev.py test tests/intake -k phrase
  setup            only install (with the test tools) into .venv

  -h, --help       this help, anywhere on the line; nothing else is done

Everything is installed into ./.venv from the pinned versions in
constraints.txt (a few minutes the first time); a stamp file avoids
reinstalling when nothing changed. DEV_PY_NO_INSTALL=1 uses .venv as it is
(the tests of dev.py itself run it so).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
MINIMUM = (3, 12)
DEFAULT_ADDRESS = "127.0.0.1:8000"
# host:port or port; the host a name, an IPv4 address or an IPv6 address in brackets.
ADDRESS = re.compile(r"(?:(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(?P<port>[0-9]{1,5})")
BROWSER_TESTS = ROOT / "tests" / "browser"
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def usage_error(message: str) -> int:
    print(f"dev.py: {message}\n", file=sys.stderr)
    print(__doc__, file=sys.stderr)
    return 2


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


def show_progress(label: str, command: list[str]) -> None:
    """Run pip; on a terminal as one line (the step, pip's latest line, a spinner), else as is."""
    started = time.monotonic()
    if not sys.stdout.isatty():
        must(*command, "--progress-bar", "off")
        say(f"{label}: done in {time.monotonic() - started:.0f} s")
        return
    process = subprocess.Popen(  # noqa: S603 - our own pip
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE above
        for line in process.stdout:
            lines.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    latest = ""
    spinner = "|/-\\"
    while process.poll() is None or reader.is_alive():
        news = [line for line in lines[-5:] if line and not line.startswith("WARNING")]
        latest = news[-1] if news else latest
        seconds = time.monotonic() - started
        status = f"{spinner[int(seconds * 4) % 4]} {label} ({seconds:.0f} s) {latest}"
        width = shutil.get_terminal_size().columns - 1
        print(f"\r\x1b[K{status[:width]}", end="", flush=True)
        time.sleep(0.25)
    print("\r\x1b[K", end="", flush=True)
    if process.returncode != 0:
        print("\n".join(lines[-40:]))
        sys.exit(f"Failed (exit {process.returncode}): {' '.join(command)}")
    say(f"{label}: done in {time.monotonic() - started:.0f} s")


def wanted(extras: str) -> str:
    return hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes()
        + (ROOT / "constraints.txt").read_bytes()
        + extras.encode()
    ).hexdigest()


def stamp(extras: str) -> Path:
    return VENV / f".installed-{extras or 'base'}"


def is_installed(extras: str) -> bool:
    return stamp(extras).exists() and stamp(extras).read_text() == wanted(extras)


def ensure_installed(extras: str) -> None:
    if os.environ.get("DEV_PY_NO_INSTALL") == "1":
        if not (BIN / "python").exists():
            sys.exit("DEV_PY_NO_INSTALL=1 but there is no .venv; run python3 dev.py setup first.")
        return
    if not (BIN / "python").exists():
        python = find_python()
        say(f"Creating .venv with {python}")
        must(python, "-m", "venv", VENV)
    if is_installed(extras) or (not extras and is_installed("test")):  # test tools include base
        return
    target = f".[{extras}]" if extras else "."
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    label = f"Installing SafeReport{' and ' + extras + ' tools' if extras else ''}"
    say(f"{label} from pinned versions (a few minutes the first time)")
    show_progress(label, [*pip, "-c", "constraints.txt", "-e", target])
    stamp(extras).write_text(wanted(extras))


def parse_address(text: str) -> tuple[str, int] | None:
    """host:port or port (runserver's forms); None if it is neither."""
    match = ADDRESS.fullmatch(text)
    if match is None or not 0 < int(match["port"]) < 65536:
        return None
    return match["host"] or "127.0.0.1", int(match["port"])


def listen_error(host: str, port: int) -> OSError | None:
    """Why listening on host:port fails, bound the way runserver binds, or None."""
    family = socket.AF_INET6 if host.startswith("[") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":  # as runserver: a port left in TIME_WAIT is free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            return error
    return None


def explain(host: str, port: int, error: OSError) -> str:
    """What is wrong with the address, and the command to run instead."""
    if isinstance(error, socket.gaierror):
        problem, host = f"{host} is not a host name this machine can resolve", "127.0.0.1"
    elif error.errno == errno.EADDRNOTAVAIL:
        problem, host = f"{host} is not an address of this machine", "127.0.0.1"
    elif error.errno == errno.EADDRINUSE:
        problem = f"{host}:{port} is in use"
    elif error.errno == errno.EACCES:
        problem = f"port {port} needs root (every port below 1024 does)"
    else:
        return f"cannot listen on {host}:{port}: {error.strerror or error}"
    free = next((n for n in range(max(port, 1024), 65536) if not listen_error(host, n)), None)
    return f"{problem}; choose another: python3 dev.py demo {host}:{free or 'PORT'}"


def browsable(host: str) -> str:
    """The host to open in a browser: a wildcard address is served on this machine too."""
    return {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)  # noqa: S104 - only read


class Stopped(Exception):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


def supervise(commands: list[list[str | Path]]) -> int:
    """Run the commands together, the first being the main one, until one ends or a stop.

    Ctrl-C or SIGTERM stops every child quietly (128 + the signal is returned):
    the children run in their own sessions, so a terminal's Ctrl-C reaches only
    dev.py, which ends each with SIGTERM. When any child ends the others are
    stopped and the first one's exit code is returned (or the other child's,
    if it ended while the first was running).
    """
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, _stop) for signum in signals}
    children: list[subprocess.Popen[bytes]] = []
    try:
        for command in commands:
            argv = [str(a) for a in command]
            child = subprocess.Popen(  # noqa: S603 - our own commands
                argv, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True
            )
            children.append(child)
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        server = children[0].poll()
        if server is not None:
            return server
        ended = next(i for i, child in enumerate(children) if child.returncode is not None)
        code = children[ended].returncode or 1
        say(f"{' '.join(map(str, commands[ended][:2]))} ended (exit {code}); stopping the rest")
        return code
    except Stopped as stop:
        print()
        say("Stopping")
        return 128 + stop.signum
    finally:
        for signum in signals:  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(signum, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def demo(args: list[str]) -> int:
    if len(args) > 1:
        return usage_error(f"demo takes one address, not {' '.join(args)}")
    text = args[0] if args else DEFAULT_ADDRESS
    parsed = parse_address(text)
    if parsed is None:
        return usage_error(
            f"{text!r} is not an address: give host:port or a port, e.g. 127.0.0.1:8001 or 8001"
        )
    host, port = parsed
    error = listen_error(host, port)
    if error is not None:
        print(f"dev.py: {explain(host, port, error)}", file=sys.stderr)
        return 1
    url = f"http://{browsable(host)}:{port}/"
    ensure_installed("")
    safereport = BIN / "safereport"
    steps: list[tuple[str, list[str | Path]]] = [
        ("Migrating the demo database", [safereport, "migrate", "--noinput", "-v", "0"]),
        # Compressed copies under hashed names, cached for a year (safereport/staticfiles.py).
        ("Collecting static files", [safereport, "collectstatic", "--noinput", "-v", "0"]),
        ("Seeding the demo (about 30 s)", [safereport, "demo", "--site-url", url]),
    ]
    for label, command in steps:
        say(label)
        code = supervise([command])
        if code != 0:
            return code
    served = url if browsable(host) == host else f"{host}:{port}, open {url}"
    say(f"Serving on {served} (Ctrl+C stops it)")
    # Started together and stopped together; the server's exit code is the demo's.
    return supervise(
        [
            [safereport, "runserver", f"{host}:{port}", "--noreload"],
            [safereport, "worker"],  # mail, statistics, tree heads, on the embedded queue
        ]
    )


def chromium_found() -> bool:
    """Where tests/sr_testing/browser.py looks for it."""
    explicit = os.environ.get("SAFEREPORT_CHROMIUM")
    return bool(explicit) or any(map(os.path.exists, CHROMIUM)) or bool(shutil.which("chromium"))


def selects_browser_tests(args: list[str]) -> bool:
    """Whether pytest with these arguments would run tests/browser/ (no paths: all)."""
    if "not browser" in " ".join(args):  # -m "not browser"
        return False
    paths = [(ROOT / a.split("::")[0]).resolve() for a in args if not a.startswith("-")]
    paths = [path for path in paths if path.exists()]
    return not paths or any(
        path == BROWSER_TESTS or path in BROWSER_TESTS.parents or BROWSER_TESTS in path.parents
        for path in paths
    )


def why_chromium_cannot_be_installed() -> str | None:
    if not shutil.which("apt-get"):
        return "dev.py installs it only with apt-get (Debian), which this system lacks"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return (
            "dev.py is not running as root, so it cannot install it "
            "(sudo apt-get install chromium chromium-driver would)"
        )
    return None


def ensure_chromium(args: list[str]) -> None:
    """Install the system Chromium the browser tests use, or say which tests skip and why."""
    if not selects_browser_tests(args) or chromium_found():
        return
    why = why_chromium_cannot_be_installed()
    if why is None:
        say("Chromium is missing: installing the Debian packages chromium and chromium-driver")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        installed = (
            run("apt-get", "update", env=env) == 0
            and run("apt-get", "install", "-y", "chromium", "chromium-driver", env=env) == 0
        )
        if installed and chromium_found():
            return
        why = "apt-get could not install chromium and chromium-driver (its output is above)"
    outcome = (
        "fail (SAFEREPORT_REQUIRE_BROWSER=1)"
        if os.environ.get("SAFEREPORT_REQUIRE_BROWSER") == "1"
        else "be skipped"
    )
    files = ", ".join(sorted(path.name for path in BROWSER_TESTS.glob("test_*.py")))
    say(
        f"Chromium is not installed and {why}. So every browser test will {outcome}: "
        f"tests/browser/ ({files}). SAFEREPORT_CHROMIUM=/path/to/chromium uses another one."
    )


def test(args: list[str]) -> int:
    ensure_installed("test")
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff (lint, security rules)", [BIN / "ruff", "check", "src", "tests", "bench", "dev.py"]),
        ("ruff (format)", [BIN / "ruff", "format", "--check", "src", "tests", "bench", "dev.py"]),
        ("mypy (strict, core)", [BIN / "mypy"]),
        (
            # The same check as `safereport firewall check`, without starting
            # Django (the proof is pure core code).
            "firewall check (every invariant over the whole decision space)",
            [BIN / "python", "-m", "safereport.core.policy.check", "--workers", "2"],
        ),
    ]
    for label, command in steps:
        say(label)
        if run(*command) != 0:
            say(f"{label} failed")
            return 1
    ensure_chromium(args)
    say("pytest" + (" on PostgreSQL" if os.environ.get("DATABASE_URL") else " on SQLite"))
    code = run(BIN / "python", "-m", "pytest", *args)
    if code == 5:
        say("pytest collected no tests: that is a failure, not a pass")
        return 1
    return code


def setup(args: list[str]) -> int:
    if args:
        return usage_error(f"setup takes no arguments, not {' '.join(args)}")
    ensure_installed("test")
    return 0


def main(argv: list[str]) -> int:
    commands = {"demo": demo, "test": test, "setup": setup}
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return 0
    if not argv:
        return usage_error("which command?")
    if argv[0] not in commands:
        return usage_error(f"unknown command {argv[0]!r}")
    try:
        return commands[argv[0]](argv[1:])
    except KeyboardInterrupt:
        print()
        say("Stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
