"""One process owns a SQLite file: an OS lock on a sidecar ``<db>.lock`` file, taken when the store opens.

Why: ``SqliteStore`` keeps the queue's order and leases in memory (``QueueIndex``) and answers common reads
from memory (``CommittedViews``, the run cache). A second process on the same file would lease the same
items and never see the first one's pauses, so it is refused at open, with a message that names the file
and the process holding it.

How: ``fcntl.flock(LOCK_EX | LOCK_NB)`` on ``<realpath of db>.lock``. The kernel drops the lock when the
holder's last descriptor closes, so a ``kill -9`` frees it and a stale file whose lock is free is simply
taken over. The holder writes its pid, host, command line and start time into the file as JSON, for the
refusal message only (the lock, never the text, decides). The file is never deleted: unlinking it while
another process has it open would let two processes hold locks on two different files of the same name.

flock locks belong to an open file description, so a second store in the *same* process is refused too
(its queue index would diverge from the first's just the same).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shlex
import socket
import sys
import time

LOCK_SUFFIX = ".lock"
OWNER_READ_TIMEOUT_S = 0.5
"""How long a refused opener waits for a just-started holder to finish writing its details."""


class DatabaseInUseError(OSError):
    """The SQLite file is owned by another process (or another open store of this one).

    ``str()`` is the complete user-facing message (the CLI prints it as is). An ``OSError``: like a taken
    port, a resource the process could not get.
    """

    def __init__(self, db_path: str, lock_path: str, owner: dict[str, object] | None) -> None:
        super().__init__(_message(db_path, owner))
        self.db_path = db_path
        self.lock_path = lock_path
        self.owner = owner  # what the holder recorded (pid, host, argv, started_at), or None if unreadable


def lock_path_for(db_path: str) -> str:
    """The sidecar lock file of ``db_path`` (symlinks resolved, so every spelling of one file shares it)."""
    return os.path.realpath(db_path) + LOCK_SUFFIX


class DatabaseLock:
    """The exclusive ownership of one SQLite file by this process. ``acquire`` once, ``release`` once."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.lock_path = lock_path_for(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise ``DatabaseInUseError``; record this process as the owner."""
        if self._fd is not None:
            return
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by child processes
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _read_owner(fd)
            os.close(fd)
            raise DatabaseInUseError(self.db_path, self.lock_path, owner) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(_this_process()).encode(), 0)
        except OSError:
            pass  # the details only decorate a refusal message; the lock is what counts
        self._fd = fd

    def release(self) -> None:
        """Give up the lock. The details are cleared first, so a stale file never names a live process."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the last descriptor drops the flock


def _this_process() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "argv": list(sys.orig_argv),
        "started_at": _process_start().isoformat(timespec="seconds"),
    }


def _process_start() -> dt.datetime:
    """When this process started (from /proc where available), else now."""
    now = dt.datetime.now(dt.UTC)
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22: start time, in clock ticks
        with open("/proc/uptime", encoding="ascii") as uptime:
            up_s = float(uptime.read().split()[0])
        age_s = up_s - ticks / os.sysconf("SC_CLK_TCK")
        return now - dt.timedelta(seconds=max(0.0, age_s))
    except (OSError, ValueError, IndexError):
        return now


def _read_owner(fd: int) -> dict[str, object] | None:
    """The holder's details; it writes them right after locking, so a refusal may briefly see an empty file."""
    deadline = time.monotonic() + OWNER_READ_TIMEOUT_S
    while True:
        try:
            data = json.loads(os.pread(fd, 64 * 1024, 0))
            if isinstance(data, dict):
                return data
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            return None
        time.sleep(0.02)


def _message(db_path: str, owner: dict[str, object] | None) -> str:
    where = os.path.realpath(db_path)
    if owner is None:
        holder = "another process (it has not recorded its details)"
    elif owner.get("pid") == os.getpid() and owner.get("host") == socket.gethostname():
        holder = f"this process (pid {owner['pid']}): another store on the same file is still open"
    else:
        argv = owner.get("argv")
        command = shlex.join(str(a) for a in argv) if isinstance(argv, list) else "?"
        holder = (
            f"process {owner.get('pid', '?')} on host {owner.get('host', '?')}"
            f" (started {owner.get('started_at', '?')}, command: {command})"
        )
    return (
        f"the SQLite database {where} is in use by {holder}. "
        "One process owns a SQLite file: stop that process, or give this one its own database "
        "(--sqlite-dir, or Lab(path)); several processes can share Postgres + Redis instead."
    )
