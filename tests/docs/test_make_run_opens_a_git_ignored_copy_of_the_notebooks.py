"""``make run`` opens JupyterLab on ``workspace/``, a git-ignored copy of ``notebooks/``: autosave while playing
with a tutorial never dirties the tracked notebooks that the test suite compares (the browser tests check the
tracked ones stay byte for byte unchanged, ``tests/browser/conftest.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_the_workspace_is_git_ignored() -> None:
    for path in ("workspace/01_quickstart.ipynb", "workspace/.inngest_lab/jupyter-engine.db"):
        done = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert done.returncode == 0, f"{path} is not git-ignored"


def test_make_run_fills_the_workspace_and_opens_jupyter_there() -> None:
    make = shutil.which("make")
    assert make is not None, "make is needed"
    plan = subprocess.run([make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "python scripts/workspace.py notebooks workspace" in plan
    assert "cd workspace && ../.venv/bin/jupyter lab" in plan
    assert "cd notebooks" not in plan


def test_the_fill_copies_missing_tutorials_and_keeps_edited_ones(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / NOTEBOOKS[0]).write_text('{"edited": true}')
    script = [sys.executable, str(ROOT / "scripts" / "workspace.py"), str(ROOT / "notebooks"), str(workspace)]
    out = subprocess.run(script, capture_output=True, text=True, check=True).stdout
    assert sorted(p.name for p in workspace.glob("*.ipynb")) == NOTEBOOKS
    assert (workspace / NOTEBOOKS[0]).read_text() == '{"edited": true}'
    assert f"kept your {NOTEBOOKS[0]}" in out
    for name in NOTEBOOKS[1:]:
        assert (workspace / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
