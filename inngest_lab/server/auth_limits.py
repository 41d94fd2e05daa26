"""Failed dashboard logins, rate-limited per client address with the engine's GCRA (``engine.flow.rate_limit``).

Every attempt spends one unit before the password is checked, and a correct password gives the allowance back,
so in effect failures are what is limited: with ``LOGIN_FAILURES_PER_MINUTE = 20`` (burst ``20 // 10 = 2``) a
client may fail three times in a row, then once every three seconds. While a client is over its limit the
password is not even checked (429 with ``Retry-After``), so guessing costs the attacker time, not the server
scrypt work.

State lives in this process's memory: each server process limits on its own, so N processes behind a balancer
allow at most N times the rate. Addresses are the TCP peer's; behind a reverse proxy every client shares the
proxy's address (and so its allowance).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from inngest_lab.engine.flow.rate_limit import rate_limit

LOGIN_FAILURES_PER_MINUTE = 20
PERIOD_MS = 60_000
MAX_TRACKED_CLIENTS = 10_000
"""Past this many addresses, expired entries are dropped; if none expired, the oldest go (bounded memory)."""


@dataclass(frozen=True, slots=True)
class LoginGate:
    allowed: bool
    retry_after_s: int  # when refused: seconds until the next attempt is allowed


class LoginLimiter:
    """The per-address theoretical arrival times of failed logins (the GCRA's only state)."""

    def __init__(self, limit: int = LOGIN_FAILURES_PER_MINUTE, period_ms: int = PERIOD_MS) -> None:
        self._limit, self._period_ms = limit, period_ms
        self._tat: dict[str, tuple[Fraction, int]] = {}  # address -> (tat, expires_at_ms)

    def attempt(self, client: str, now_ms: int) -> LoginGate:
        """May ``client`` try a password now? An allowed attempt spends one unit up front, so concurrent
        guesses cannot all slip in while the hashes are checked; ``succeeded`` gives the allowance back."""
        decision = rate_limit(self._current(client, now_ms), self._limit, self._period_ms, now_ms)
        if decision.admitted:
            self._prune(now_ms)
            self._tat[client] = (decision.tat, decision.expires_at_ms)
            return LoginGate(True, 0)
        # Admitted again once tat - now <= burst * interval.
        slack = Fraction(self._period_ms, self._limit) * (self._limit // 10)
        wait_ms = max(0, int(decision.tat - now_ms - slack))
        return LoginGate(False, max(1, -(-wait_ms // 1000)))

    def succeeded(self, client: str) -> None:
        """The password was right: the client's earlier failures are forgotten."""
        self._tat.pop(client, None)

    def _current(self, client: str, now_ms: int) -> Fraction | None:
        entry = self._tat.get(client)
        if entry is None or entry[1] <= now_ms:
            return None
        return entry[0]

    def _prune(self, now_ms: int) -> None:
        if len(self._tat) < MAX_TRACKED_CLIENTS:
            return
        for client in [c for c, (_, exp) in self._tat.items() if exp <= now_ms]:
            del self._tat[client]
        while len(self._tat) >= MAX_TRACKED_CLIENTS:
            del self._tat[next(iter(self._tat))]

    def __len__(self) -> int:
        return len(self._tat)
