"""The ``FlowView`` a flow-control decision reads on the Redis store: a snapshot that grows on demand.

A decision is a pure, synchronous function, but which keys it reads depends on what it finds. So it
runs against a snapshot; the first read of a key the snapshot lacks raises ``NeedsRead`` (control flow,
not an error), the store fetches that key with its version, and the decision runs again from the
start. Once it completes, every key it read, with the version it saw, becomes a check of the commit.
"""

from __future__ import annotations

from inngest_lab.engine.model import FlowEntry, Run


class NeedsRead(BaseException):
    """The decision read a key the snapshot does not hold yet; fetch it and decide again."""

    def __init__(self, flow_keys: tuple[str, ...] = (), run_ids: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.flow_keys = flow_keys
        self.run_ids = run_ids


class FlowSnapshot:
    """``FlowView`` over fetched state, remembering the version of everything read."""

    def __init__(self) -> None:
        self._flow: dict[str, tuple[FlowEntry | None, int]] = {}
        self._runs: dict[str, tuple[Run | None, int]] = {}

    def put_flow(self, key: str, entry: FlowEntry | None, version: int) -> None:
        self._flow[key] = (entry, version)

    def put_run(self, run_id: str, run: Run | None, version: int) -> None:
        self._runs[run_id] = (run, version)

    def flow_state(self, key: str) -> FlowEntry | None:
        found = self._flow.get(key)
        if found is None:
            raise NeedsRead(flow_keys=(key,))
        return found[0]

    def run(self, run_id: str) -> Run | None:
        found = self._runs.get(run_id)
        if found is None:
            raise NeedsRead(run_ids=(run_id,))
        return found[0]

    def flow_versions(self) -> dict[str, int]:
        return {key: version for key, (_, version) in self._flow.items()}

    def run_versions(self) -> dict[str, int]:
        return {run_id: version for run_id, (_, version) in self._runs.items()}
