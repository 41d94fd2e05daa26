"""In-memory pause index for ``MemoryStore``: pauses by event name, then by ``engine.pause_index`` key.

The SQLite adapter keeps the same index in SQL (``pauses.index_signature``/``index_values`` and the
``pause_signatures`` counts); both answer ``PauseQuery.pauses_matching`` with the same candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from inngest_lab.engine.model import Json, Pause
from inngest_lab.engine.pause_index import IndexKey, index_key, probe


def pause_order(pause: Pause) -> tuple[int, str]:
    return (pause.created_at_ms, pause.pause_id)


@dataclass(slots=True)
class _ByName:
    unindexed: dict[str, Pause] = field(default_factory=dict)
    indexed: dict[IndexKey, dict[str, Pause]] = field(default_factory=dict)
    signatures: Counter[str] = field(default_factory=Counter)

    def __bool__(self) -> bool:
        return bool(self.unindexed or self.indexed)


class PauseLookup:
    """Pending pauses, findable by id, by event name and by the index key of their expression."""

    def __init__(self) -> None:
        self._pauses: dict[str, tuple[Pause, IndexKey | None]] = {}
        self._by_name: dict[str, _ByName] = {}
        self._signals: dict[str, str] = {}  # signal name -> the pause id that holds it (ClaimSignal)
        self._signal_of: dict[str, str] = {}  # pause id -> the signal it holds

    def claim_signal(self, signal: str, pause_id: str, replace: bool) -> bool:
        """Give ``signal`` to ``pause_id``; False (nothing changed) when another pause holds it and not ``replace``."""
        holder = self._signals.get(signal)
        if holder is not None and holder != pause_id and not replace:
            return False
        if holder is not None:
            self._signal_of.pop(holder, None)
        self._signals[signal] = pause_id
        self._signal_of[pause_id] = signal
        return True

    def for_signal(self, signal: str) -> Pause | None:
        holder = self._signals.get(signal)
        found = self._pauses.get(holder) if holder is not None else None
        return found[0] if found is not None else None

    def __len__(self) -> int:
        return len(self._pauses)

    def add(self, pause: Pause) -> bool:
        """File ``pause`` unless its id is already pending; return True when added."""
        if pause.pause_id in self._pauses:
            return False
        key = index_key(pause.expression)
        self._pauses[pause.pause_id] = (pause, key)
        by_name = self._by_name.setdefault(pause.event_name, _ByName())
        if key is None:
            by_name.unindexed[pause.pause_id] = pause
        else:
            by_name.indexed.setdefault(key, {})[pause.pause_id] = pause
            by_name.signatures[key.signature] += 1
        return True

    def remove(self, pause_id: str) -> bool:
        """Forget ``pause_id``; return True when it was pending."""
        found = self._pauses.pop(pause_id, None)
        if found is None:
            return False
        signal = self._signal_of.pop(pause_id, None)
        if signal is not None:
            del self._signals[signal]
        pause, key = found
        by_name = self._by_name[pause.event_name]
        if key is None:
            del by_name.unindexed[pause_id]
        else:
            bucket = by_name.indexed[key]
            del bucket[pause_id]
            if not bucket:
                del by_name.indexed[key]
            by_name.signatures[key.signature] -= 1
            if not by_name.signatures[key.signature]:
                del by_name.signatures[key.signature]
        if not by_name:
            del self._by_name[pause.event_name]
        return True

    def for_event_name(self, event_name: str) -> list[Pause]:
        by_name = self._by_name.get(event_name)
        if by_name is None:
            return []
        found = list(by_name.unindexed.values())
        for bucket in by_name.indexed.values():
            found.extend(bucket.values())
        return sorted(found, key=pause_order)

    def for_run(self, run_id: str) -> list[Pause]:
        return sorted((p for p, _ in self._pauses.values() if p.run_id == run_id), key=pause_order)

    def matching(self, event: Mapping[str, Json]) -> list[Pause]:
        by_name = self._by_name.get(str(event.get("name")))
        if by_name is None:
            return []
        found = list(by_name.unindexed.values())
        for signature in by_name.signatures:
            key = probe(event, signature)
            bucket = by_name.indexed.get(key) if key is not None else None
            if bucket:
                found.extend(bucket.values())
        return sorted(found, key=pause_order)
