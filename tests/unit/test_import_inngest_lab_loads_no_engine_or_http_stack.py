"""``import inngest_lab`` stays cheap: the facade loads the engine, the stores and the HTTP stack only when used.

Checked by what a fresh process has imported rather than by timing (``benchmarks/startup.py`` times it), so the
test is deterministic: a new eager import of a heavy module fails here with its name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("aiohttp", "tornado.web", "tornado.httpclient", "cel", "prompt_toolkit", "sqlite3")
OURS = ("inngest_lab.engine", "inngest_lab.executor", "inngest_lab.store", "inngest_lab.server", "inngest_lab.lab")


def _modules_after(code: str) -> set[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, check=True
    )
    return set(json.loads(out.stdout))


def test_import_inngest_lab_loads_none_of_them() -> None:
    loaded = _modules_after("import inngest_lab")
    assert not [m for m in loaded if m in HEAVY or m.startswith(OURS)]


def test_a_client_and_its_triggers_load_no_engine_nor_server() -> None:
    loaded = _modules_after("import inngest_lab as i\ni.Inngest(app_id='a'); i.TriggerEvent(event='a/b'); i.Context")
    assert not [m for m in loaded if m in ("aiohttp", "tornado.web", "cel") or m.startswith(OURS)]


def test_names_resolve_on_use_and_unknown_ones_raise() -> None:
    import inngest_lab

    assert inngest_lab.Lab.__module__ == "inngest_lab.lab"
    assert {"Lab", "Inngest", "TriggerEvent", "tornado"} <= set(dir(inngest_lab))
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        inngest_lab.Nope  # type: ignore[attr-defined]  # noqa: B018


def test_cli_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "inngest_lab.cli", "--version"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    from inngest_lab import __version__

    assert out.stdout == f"inngest-lab {__version__}\n"


def test_an_embedded_lab_loads_no_production_store_client() -> None:
    """redis-py and psycopg (and what they pull in) only in processes on Postgres + Redis: their objects make
    every garbage collection of an embedded engine slower (about 10% CPU per step, docs/performance.md)."""
    loaded = _modules_after("import inngest_lab as i\ni.Lab(':memory:')")
    heavy = ("redis", "psycopg", "psycopg_pool", "opentelemetry", "aiohttp", "cel", "prompt_toolkit")
    assert not [m for m in loaded if m.split(".")[0] in heavy]
