"""Every ```python block in ``docs/*.md`` is a complete program, and it runs (its asserts hold)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _examples() -> list[object]:
    found: list[object] = []
    for path in sorted(DOCS.glob("*.md")):
        for index, code in enumerate(_BLOCK.findall(path.read_text(encoding="utf-8"))):
            found.append(pytest.param(path.name, code, id=f"{path.stem}-{index}"))
    return found


@pytest.mark.parametrize(("doc", "code"), _examples())
def test_the_example_runs(doc: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # an example that writes files writes them here
    exec(compile(code, f"{doc} example", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own docs
