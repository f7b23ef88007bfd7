"""Names a package exports but imports only when first used (PEP 562).

The choice model and the simulator need SciPy and matplotlib, which take over a
second to import; a web or job process that never estimates anything should not
pay that at start. A package lists the names each of its heavy modules gives,
imports them under ``TYPE_CHECKING`` for type checkers, and sets its module
``__getattr__`` to ``lazy_exports(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, namespace: MutableMapping[str, Any], modules: Mapping[str, tuple[str, ...]]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: a name listed under one of its
    ``modules`` is imported from it on first use and kept in ``namespace``
    (the package's globals), so later uses are ordinary lookups."""
    home = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
