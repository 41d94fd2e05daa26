"""The README's first example is ``examples/hello.py`` verbatim, and ``python examples/hello.py`` runs it to the end.

It runs as a newcomer would run it: a fresh process in an empty directory (the Lab's SQLite file lands in
``./.inngest_lab/``), no event loop of its own, and it must exit 0 on its own (the engine closed at exit).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hello.py"


def _first_python_block(markdown: str) -> str:
    match = re.search(r"^```python\n(.*?)^```", markdown, re.S | re.M)
    assert match is not None, "README.md has no ```python block"
    return match.group(1)


def test_the_readme_shows_the_example_file_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _first_python_block(readme) == EXAMPLE.read_text(encoding="utf-8"), (
        "README.md's first ```python block must equal examples/hello.py: edit both together"
    )


def test_python_example_py_runs_and_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "dev", str(EXAMPLE)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Completed hello Ada\n"
    assert "Traceback" not in done.stderr and "never awaited" not in done.stderr, done.stderr
    db = tmp_path / ".inngest_lab" / "lab.db"
    assert db.exists()
    # closed at exit: SQLite checkpointed and removed its write-ahead log
    assert not (tmp_path / ".inngest_lab" / "lab.db-wal").exists()
