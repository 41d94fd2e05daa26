"""Every Redis key of a deployment, in one place (arq's ``constants.py`` habit).

All keys share one hash tag, ``{<deployment>}``, so every Lua script touches keys of a single Redis
Cluster slot and runs unchanged on a cluster. Growing past one Redis means several tags (shards),
each a whole queue with its runs, chosen by a hash of the run id (``docs/architecture/production.md``).

The Lua scripts build per-object keys from the prefix (``<prefix>r:<run_id>``) with the same
suffixes as the helpers below; a key added here must be added to the scripts' comment block too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    """Key names under ``prefix`` (ends with ``:``, contains the hash tag)."""

    prefix: str

    @classmethod
    def for_deployment(cls, name: str = "inngest-lab") -> Keys:
        return cls(f"il:{{{name}}}:")

    # ---------------------------------------------------------------- queue
    @property
    def queue_waiting(self) -> str:
        """zset: item member -> due_at_ms (not yet known to be due)."""
        return self.prefix + "qw"

    @property
    def queue_ready(self) -> str:
        """zset: item member -> due_at_ms - priority_ms (due; leased earliest score first)."""
        return self.prefix + "qr"

    @property
    def leased(self) -> str:
        """zset: item id -> lease expiry ms (the scavenger index: expired leases come back)."""
        return self.prefix + "ql"

    @property
    def items(self) -> str:
        """hash: item id -> item JSON."""
        return self.prefix + "qi"

    @property
    def members(self) -> str:
        """hash: item id -> ``member|due|priority`` (its zset member and scores)."""
        return self.prefix + "qm"

    @property
    def lease_ids(self) -> str:
        """hash: item id -> current lease id."""
        return self.prefix + "qL"

    @property
    def item_slots(self) -> str:
        """hash: item id -> concurrency slots it needs (``key\\tlimit`` lines)."""
        return self.prefix + "qs"

    def slot(self, slot_key: str) -> str:
        """zset: item id -> lease expiry, the items executing under one concurrency key."""
        return self.prefix + "cs:" + slot_key

    def backlog(self, slot_key: str) -> str:
        """zset: member -> score, items waiting for a slot of one concurrency key (FIFO)."""
        return self.prefix + "cb:" + slot_key

    @property
    def delayed(self) -> str:
        """hash: item id -> ``[slot key, limit, since ms]``, items that found their slot key full and are not
        leased yet (its length is the gauge of items waiting for concurrency)."""
        return self.prefix + "qd"

    @property
    def holds(self) -> str:
        """hash: item id -> flow-control reason it holds its run back for (throttle, debounce, batch), until leased
        or removed."""
        return self.prefix + "qh"

    @property
    def hold_counts(self) -> str:
        """hash: reason -> number of items in ``holds`` (kept by the same scripts)."""
        return self.prefix + "qhn"

    @property
    def seq(self) -> str:
        """string counter: insertion order of queue items."""
        return self.prefix + "seq"

    # ---------------------------------------------------------------- runs
    def run(self, run_id: str) -> str:
        """string: ``<version>\x1f<terminal>\x1f<step ids, \x1e-separated>\n<run meta JSON>`` (``parse_run``)."""
        return self.prefix + "r:" + run_id

    def steps(self, run_id: str) -> str:
        """hash: step id -> memo JSON (first write wins)."""
        return self.prefix + "s:" + run_id

    # ---------------------------------------------------------------- pauses
    @property
    def pauses(self) -> str:
        """hash: pause id -> pause JSON."""
        return self.prefix + "p"

    @property
    def pause_keys(self) -> str:
        """hash: pause id -> JSON ``[event, run, signature|false, values|false]`` (its index entries)."""
        return self.prefix + "pk"

    def pauses_of_run(self, run_id: str) -> str:
        return self.prefix + "pr:" + run_id

    def pauses_of_event(self, event_name: str) -> str:
        """set: every pending pause id waiting for ``event_name``."""
        return self.prefix + "pe:" + event_name

    def pauses_unindexed(self, event_name: str) -> str:
        return self.prefix + "pu:" + event_name

    def pause_signatures(self, event_name: str) -> str:
        """hash: signature -> number of pauses filed under it."""
        return self.prefix + "ps:" + event_name

    def pauses_indexed(self, event_name: str, signature: str, values: str) -> str:
        return self.prefix + "pi:" + event_name + "\x1e" + signature + "\x1e" + values

    @property
    def signals(self) -> str:
        """hash: signal name -> the pause id that holds it (``ClaimSignal``; the index of ``pause_for_signal``)."""
        return self.prefix + "sg"

    @property
    def signal_holders(self) -> str:
        """hash: pause id -> the signal it holds (so deleting a pause releases its signal)."""
        return self.prefix + "sgp"

    # ---------------------------------------------------------------- flow control, operator records
    @property
    def flow(self) -> str:
        """hash: flow key -> value JSON."""
        return self.prefix + "f"

    @property
    def flow_expiry(self) -> str:
        """hash: flow key -> expires_at_ms (absent: never)."""
        return self.prefix + "fx"

    @property
    def flow_versions(self) -> str:
        """hash: flow key -> write version (compare-and-set of flow decisions)."""
        return self.prefix + "fv"

    def records(self, kind: str) -> str:
        """hash: record id -> JSON ``[created_at_ms, record]``."""
        return self.prefix + "rc:" + kind

    # ---------------------------------------------------------------- to Postgres, and the feed
    @property
    def outbox(self) -> str:
        """stream: history, events, runs and steps on their way to Postgres, in commit order."""
        return self.prefix + "ob"

    @property
    def flush_lock(self) -> str:
        """string: the process that flushes the outbox now (a lease with a TTL)."""
        return self.prefix + "obL"

    @property
    def realtime(self) -> str:
        """pub/sub channel: realtime messages (``server/realtime_broker.py``), for every process's subscribers."""
        return self.prefix + "rt"

    @property
    def feed(self) -> str:
        """pub/sub channel: every commit, for live views and queue wake-ups in every process."""
        return self.prefix + "feed"


def parse_run(text: str) -> tuple[int, bool, list[str], str]:
    """``(version, terminal, stack, meta JSON)`` of a run record (meta is "" when only steps were written)."""
    header, _, meta = text.partition("\n")
    version, terminal, stack = header.split("\x1f", 2)
    return int(version), terminal == "1", stack.split("\x1e") if stack else [], meta
