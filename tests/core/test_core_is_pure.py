"""The core must not import Django, directly or through anything it imports."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import safereport.core

CORE = Path(safereport.core.__file__).parent


def _core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_no_core_file_names_django() -> None:
    offenders = []
    for path in _core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
                names = [a.value for a in node.args if isinstance(a, ast.Constant)]
            offenders += [
                f"{path.relative_to(CORE)}:{node.lineno} imports {name}"
                for name in names
                if isinstance(name, str) and name.split(".")[0] == "django"
            ]
    assert offenders == [], "core must stay free of Django:\n" + "\n".join(offenders)


def test_importing_every_core_module_loads_no_django() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(CORE)], prefix="safereport.core.")]
    assert modules, "expected to find core modules"
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print('\\n'.join(loaded))\n"
    )
    result = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed program
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=False,
        cwd=CORE.parents[2],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", "Django was loaded by core: " + result.stdout
