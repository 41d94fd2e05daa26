"""Write the tutorial notebooks from ``sources/*.py`` and store their outputs (what nbval compares against).

    python notebooks/build.py            # every notebook
    python notebooks/build.py 01 03      # the ones whose name starts with these

A source file is plain Python; ``# %% [markdown]`` starts a Markdown cell (its lines are ``# `` comments)
and ``# %%`` a code cell. Executing stores deterministic outputs: the Lab in every tutorial uses the
fake clock, and the few outputs that cannot be deterministic carry ``# NBVAL_IGNORE_OUTPUT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def cells(source: str) -> list[nbformat.NotebookNode]:
    out = []
    for chunk in source.split("# %%")[1:]:
        header, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if header.strip() == "[markdown]":
            text = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.splitlines())
            out.append(nbformat.v4.new_markdown_cell(text))
        else:
            out.append(nbformat.v4.new_code_cell(body))
    return out


def build(src: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = cells(src.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{src.stem[:2]}-{i:02d}"  # stable ids keep diffs small
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(HERE)}}).execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)  # widget state is per-session noise
    target = HERE / f"{src.stem}.ipynb"
    nbformat.write(nb, target)
    return target


def main(prefixes: list[str]) -> None:
    for src in sorted((HERE / "sources").glob("*.py")):
        if not prefixes or any(src.stem.startswith(p) for p in prefixes):
            print("built", build(src).relative_to(HERE.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
