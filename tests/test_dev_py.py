"""dev.py as a newcomer runs it: help, addresses, a busy port, the served address, Ctrl-C.

Every test runs dev.py as a subprocess. None installs anything: the fast ones
run a copy of dev.py in an empty folder (and check it stays empty), the one
that serves the demo uses this checkout's .venv as it is (DEV_PY_NO_INSTALL=1).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEV_PY = ROOT / "dev.py"
USAGE = "usage: python3 dev.py demo [ADDRESS]"


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A folder holding nothing but dev.py: anything dev.py creates there shows."""
    folder = tmp_path / "clone"
    folder.mkdir()
    shutil.copy(DEV_PY, folder / "dev.py")
    return folder


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEV_PY_NO_INSTALL"}}
    env["SAFEREPORT_DATA_DIR"] = str(data_dir)
    return env


def dev_py(folder: Path, *args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, str(folder / "dev.py"), *args],
        cwd=folder,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["demo", "--help"],
        ["demo", "127.0.0.1:8101", "-h"],
        ["test", "--help"],
        ["test", "tests/core", "-h"],
        ["setup", "--help"],
    ],
)
def test_help_anywhere_prints_help_and_does_nothing_else(
    clone: Path, tmp_path: Path, args: list[str]
) -> None:
    data = tmp_path / "data"
    result = dev_py(clone, *args, data_dir=data)
    assert result.returncode == 0, result.stderr
    assert USAGE in result.stdout
    assert "python3 dev.py test tests/core" in result.stdout
    assert sorted(p.name for p in clone.iterdir()) == ["dev.py"]  # no .venv, no var/
    assert not data.exists()


@pytest.mark.parametrize("args", [[], ["serve"], ["tset", "tests/core"]])
def test_no_or_an_unknown_command_prints_help_and_exits_2(
    clone: Path, tmp_path: Path, args: list[str]
) -> None:
    result = dev_py(clone, *args, data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert USAGE in result.stderr
    assert sorted(p.name for p in clone.iterdir()) == ["dev.py"]


@pytest.mark.parametrize(
    ("address", "complaint"),
    [
        ("localhost:http", "'localhost:http' is not an address"),
        ("127.0.0.1:70000", "'127.0.0.1:70000' is not an address"),
        ("--port=8101", "'--port=8101' is not an address"),
        ("8101 8102", "demo takes one address"),
        ("no-such-host.invalid:8101", "no-such-host.invalid is not a host name"),
    ],
)
def test_demo_refuses_what_is_not_an_address_before_installing(
    clone: Path, tmp_path: Path, address: str, complaint: str
) -> None:
    data = tmp_path / "data"
    result = dev_py(clone, "demo", *address.split(" "), data_dir=data)
    assert result.returncode != 0
    assert complaint in result.stderr
    assert sorted(p.name for p in clone.iterdir()) == ["dev.py"]
    assert not data.exists()


def test_a_busy_port_is_found_before_migrating_and_another_is_suggested(
    clone: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = dev_py(clone, "demo", f"127.0.0.1:{port}", data_dir=data)
        bare = dev_py(clone, "demo", str(port), data_dir=data)
    assert result.returncode == 1
    hint = f"127.0.0.1:{port} is in use; choose another: python3 dev.py demo 127.0.0.1:"
    assert hint in result.stderr
    suggested = int(result.stderr.split(hint)[1].split()[0])
    assert suggested != port
    assert bare.returncode == 1 and hint in bare.stderr  # a bare port means 127.0.0.1
    # Nothing was installed, migrated or seeded: no .venv, no database.
    assert sorted(p.name for p in clone.iterdir()) == ["dev.py"]
    assert not data.exists()


SUPERVISED = """
import sys, time
sys.path.insert(0, {root!r})
import dev
child = [sys.executable, "-c", "import time\\nwhile True: time.sleep(0.1)"]
print("supervising", flush=True)
sys.exit(dev.supervise([child, child]))
"""


def descendants(pid: int) -> list[int]:
    command = ["pgrep", "-P", str(pid)]
    found = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return [int(line) for line in found.stdout.split()]


@pytest.mark.skipif(shutil.which("pgrep") is None, reason="needs pgrep to list child processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_supervisor_stops_every_child_quietly_when_it_is_stopped(signum: int) -> None:
    script = textwrap.dedent(SUPERVISED.format(root=str(ROOT)))
    supervisor = subprocess.Popen(  # noqa: S603 - the project's own code
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert supervisor.stdout is not None
    assert supervisor.stdout.readline() == "supervising\n"
    deadline = time.monotonic() + 20
    while len(descendants(supervisor.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    children = descendants(supervisor.pid)
    assert len(children) == 2
    supervisor.send_signal(signum)  # to the supervisor only: it must stop its children
    out, err = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 128 + signum
    assert "Traceback" not in out + err
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)


EARLY_END = """
import sys
sys.path.insert(0, {root!r})
import dev
server = [sys.executable, "-c", "import time\\nwhile True: time.sleep(0.1)"]
worker = [sys.executable, "-c", "import time, sys\\ntime.sleep(1)\\nsys.exit(3)"]
sys.exit(dev.supervise([server, worker]))
"""


@pytest.mark.skipif(shutil.which("pgrep") is None, reason="needs pgrep to list child processes")
def test_when_a_second_child_ends_the_supervisor_stops_the_first_and_says_so() -> None:
    script = textwrap.dedent(EARLY_END.format(root=str(ROOT)))
    supervisor = subprocess.Popen(  # noqa: S603 - the project's own code
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while len(descendants(supervisor.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    children = descendants(supervisor.pid)
    assert len(children) == 2
    out, err = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 3
    assert "ended (exit 3); stopping the rest" in out
    assert "Traceback" not in out + err
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)


def listen_error_of(port: int) -> OSError | None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            return error
    return None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pgrep") is None, reason="needs pgrep to list child processes")
@pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "safereport").exists(),
    reason="serves the demo from this checkout's .venv; run python3 dev.py setup first",
)
def test_the_demo_serves_the_address_it_prints_and_stops_quietly_on_ctrl_c(
    tmp_path: Path,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = environment(tmp_path / "data")
    env["DEV_PY_NO_INSTALL"] = "1"
    demo = subprocess.Popen(  # noqa: S603 - the project's own script
        [sys.executable, str(DEV_PY), "demo", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    output: list[str] = []
    assert demo.stdout is not None
    reader = threading.Thread(target=lambda: output.extend(demo.stdout or []), daemon=True)
    reader.start()
    try:
        answered = None
        deadline = time.monotonic() + 300
        while answered is None and demo.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "en/", timeout=5) as response:  # noqa: S310 - our server
                    answered = response.status
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert answered == 200, "".join(output)
        children = descendants(demo.pid)
        assert children  # the server
        os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        demo.wait(timeout=30)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
    reader.join(timeout=10)
    printed = "".join(output)
    assert f"Public site:   {url}\n" in printed
    assert f"Staff sign-in: {url}staff/login/\n" in printed
    assert f"Serving on {url} (Ctrl+C stops it)" in printed
    assert "127.0.0.1:8000" not in printed
    assert demo.returncode in (0, 130), printed
    assert "Traceback" not in printed
    for child in children:  # the server was stopped with the demo
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)
    assert listen_error_of(port) is None  # and the port is free again


CHROMIUM_STEP = """
import sys
sys.path.insert(0, {root!r})
import dev
dev.CHROMIUM = ()  # as on a machine without it, whether or not this one has it
dev.ensure_chromium(sys.argv[1:])
"""


def test_without_chromium_and_apt_get_the_test_command_says_which_tests_skip_and_why() -> None:
    # Neither a chosen Chromium nor CI's demand that browser tests run (which says "fail").
    unset = {"SAFEREPORT_CHROMIUM", "SAFEREPORT_REQUIRE_BROWSER"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PATH"] = str(Path(sys.executable).parent)  # a PATH with neither chromium nor apt-get
    step = CHROMIUM_STEP.format(root=str(ROOT))

    def says(*args: str) -> str:
        result = subprocess.run(  # noqa: S603 - the project's own code
            [sys.executable, "-c", step, *args], env=env, capture_output=True, text=True, check=True
        )
        return result.stdout

    message = says()
    assert "Chromium is not installed and dev.py installs it only with apt-get" in message
    assert "every browser test will be skipped: tests/browser/ (" in message
    assert "test_whole_path.py" in message
    assert says("tests/browser/test_whole_path.py") == message
    assert says("tests/core", "-k", "receipt") == ""  # a part without browser tests needs none
    assert says("-m", "not browser") == ""
