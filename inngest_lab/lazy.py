"""Lazy package attributes: a package names what it exports and where, and imports each on first use.

``import inngest_lab`` must stay cheap (a script that only sends an event, ``inngest-lab --version``), so the
packages of the SDK facade do not import the engine, the stores or the HTTP stack (tornado.web, aiohttp, cel)
until a name that needs them is used. Each such package calls ``exports(__name__, {...})`` and assigns the
returned pair to its ``__getattr__``/``__dir__`` (PEP 562); type checkers read the same names from an
``if TYPE_CHECKING:`` block of plain imports, so they see precise types.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: attribute ``name`` is ``where[name]``'s attribute ``name``, or
    that module itself when ``where[name]`` is the submodule ``package.name``. A resolved name is cached in the
    package's namespace, so each is looked up once."""

    def __getattr__(name: str) -> Any:  # the PEP 562 hook
        module_name = where.get(name)
        if module_name is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(module_name)
        value = module if module_name == f"{package}.{name}" else getattr(module, name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:  # the PEP 562 hook
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__
