"""Opening a connection to an inngest-lab SQLite file: its settings, WAL from birth, migrations.

Settings: WAL (readers never block the writer), ``synchronous=NORMAL`` (a commit is durable once the WAL
is checkpointed; a power cut may lose the last commits but never corrupts), ``busy_timeout`` (rides out
another process briefly holding the lock), foreign keys off (the engine owns integrity). Statements are
reused through ``sqlite3``'s statement cache.
"""

from __future__ import annotations

import os
import sqlite3
import threading

from inngest_lab.store.migrations import migrate_sqlite
from inngest_lab.store.sqlite_checkpoint import WRITER_AUTOCHECKPOINT_PAGES

BUSY_TIMEOUT_MS = 5_000
STATEMENT_CACHE = 256


def is_on_disk(path: str) -> bool:
    """True for a file path; False for ``":memory:"`` and ``file:`` URIs."""
    return path != ":memory:" and not path.startswith("file:")


def create_in_wal_mode(path: str) -> None:
    """Create the file at ``path``, if absent, already in WAL mode.

    Two connections switching one fresh file to WAL at once (two engines opening it together) can get
    SQLITE_BUSY without the busy handler being called; a file that is WAL from birth needs no switch. So the
    file is made under a private name and linked into place, which fails harmlessly if another got there first.
    """
    if os.path.exists(path):
        return
    fresh = f"{path}.{os.getpid()}.{threading.get_ident()}.new"
    conn = sqlite3.connect(fresh, isolation_level=None)
    try:
        # before the first table: retention's freed pages can then be handed back (sqlite_retention)
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("PRAGMA journal_mode = WAL")  # writes page 1, marked WAL; closing removes -wal/-shm
    finally:
        conn.close()
    try:
        os.link(fresh, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(fresh)


def connect_writer(path: str) -> sqlite3.Connection:
    """The writer thread's connection: settings applied and the schema migrated. Call on that thread."""
    if is_on_disk(path):
        create_in_wal_mode(path)
    conn = sqlite3.connect(
        path,
        isolation_level=None,  # we issue BEGIN/COMMIT ourselves
        check_same_thread=True,
        cached_statements=STATEMENT_CACHE,
        uri=path.startswith("file:"),
        timeout=BUSY_TIMEOUT_MS / 1000,  # already for the pragmas below: another process may be opening the file
    )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = OFF")
    # checkpoints run in the background (sqlite_checkpoint); this is only the fallback bound
    conn.execute(f"PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT_PAGES}")
    migrate_sqlite(conn)
    return conn


def connect_loop_reader(path: str) -> sqlite3.Connection:
    """A read-only connection for lookups on the event loop (a WAL reader sees every committed write)."""
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=STATEMENT_CACHE)
    conn.execute("PRAGMA query_only = 1")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn
