"""The packages that import their heavy modules on first use (core/lazy.py)
list each lazy name twice: under ``TYPE_CHECKING`` for type checkers and in
``_LAZY`` for the running program. The two lists must agree, and every lazy
name must resolve to what its module defines."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from safereport.core.lazy import lazy_exports

LAZY_PACKAGES = ["safereport.core.choice", "safereport.core.simulate"]


def _type_checking_imports(package: str) -> dict[str, tuple[str, ...]]:
    """The names imported under ``if TYPE_CHECKING:`` in the package's
    ``__init__.py``, by module (relative to the package)."""
    init = Path(importlib.import_module(package).__file__ or "")
    tree = ast.parse(init.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"):
            continue
        for statement in node.body:
            assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
            module = statement.module or ""
            assert module.startswith(package + "."), module
            found.setdefault(module.removeprefix(package + "."), []).extend(
                alias.name for alias in statement.names
            )
    return {module: tuple(sorted(names)) for module, names in found.items()}


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_the_type_checking_imports_and_the_lazy_table_agree(package: str) -> None:
    module = importlib.import_module(package)
    lazy = {name: tuple(sorted(names)) for name, names in module._LAZY.items()}
    assert lazy, f"{package} lists no lazy names"
    assert _type_checking_imports(package) == lazy


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_lazy_name_is_exported_and_is_its_modules_own(package: str) -> None:
    module = importlib.import_module(package)
    for home, names in module._LAZY.items():
        source = importlib.import_module(f"{package}.{home}")
        for name in names:
            assert name in module.__all__, name
            assert getattr(module, name) is getattr(source, name)


def test_an_unlisted_name_raises_attribute_error_naming_the_package() -> None:
    namespace: dict[str, object] = {}
    lookup = lazy_exports("safereport.core.choice", namespace, {"errors": ("ChoiceError",)})
    with pytest.raises(AttributeError, match=r"'safereport\.core\.choice' has no attribute 'nope'"):
        lookup("nope")
    assert lookup("ChoiceError").__name__ == "ChoiceError"
    assert "ChoiceError" in namespace  # kept: the next use is an ordinary lookup
