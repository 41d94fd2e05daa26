"""Every Python example in ``docs/flow-control.md`` runs as written (each is a complete program)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "flow-control.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _examples() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    out = []
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 2
        heading = [h for h in re.findall(r"^## (.+)$", text[: match.start()], re.M)][-1]
        out.append((f"{heading} (line {line})", match.group(1)))
    return out


EXAMPLES = _examples()


def test_the_doc_has_an_example_per_feature() -> None:
    headings = {name.split(" (line")[0] for name, _ in EXAMPLES}
    assert {"Rate limit", "Throttle", "Idempotency and event ids", "Debounce", "Batching", "Singleton"} <= headings
    assert "Timeouts" in headings
    assert {"Concurrency", "Priority", "Pause matching at scale"} <= headings
    assert {"Cron triggers", "Pausing a function", "Bulk cancellation", "Rerun, rerun from a step, replay"} <= headings


@pytest.mark.parametrize(("name", "source"), EXAMPLES, ids=[name for name, _ in EXAMPLES])
def test_example_runs(name: str, source: str) -> None:
    code = compile(source, f"{DOC.name}: {name}", "exec")
    exec(code, {"__name__": "__main__"})  # noqa: S102 - our own documentation's examples
