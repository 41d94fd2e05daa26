"""Fill ``make run``'s working copy of the tutorials: copy each notebook of ``SRC`` that ``DST`` lacks.

    python scripts/workspace.py notebooks workspace

JupyterLab autosaves whatever is open, so ``make run`` opens ``workspace/`` (git-ignored) instead of the tracked
``notebooks/``, whose saved outputs the test suite compares (nbval): playing with a tutorial never dirties the
repository. A notebook already in ``DST`` is left alone (it holds your edits); delete it to get the tutorial back.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def fill(src: Path, dst: Path) -> list[str]:
    """Copy every ``*.ipynb`` of ``src`` missing from ``dst``; return the names copied."""
    dst.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(src.glob("*.ipynb")):
        target = dst / notebook.name
        if not target.exists():
            shutil.copy2(notebook, target)
            copied.append(notebook.name)
    return copied


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = Path(argv[0]), Path(argv[1])
    copied = fill(src, dst)
    kept = sorted({p.name for p in src.glob("*.ipynb")} - set(copied))
    print(f"{dst}/: your working copy of {src}/ (git-ignored); copied {', '.join(copied) or 'nothing'}", end="")
    print(f"; kept your {', '.join(kept)} (delete one to get the tutorial back)" if kept else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
