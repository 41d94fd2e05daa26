"""Real Postgres and Redis servers for tests, from Debian's packages (``make test`` installs them).

``RedisServer`` and ``PostgresServer`` each run one server process on a free loopback port with its data in
a temporary directory; ``start()``, ``stop()`` (graceful), ``kill()`` (``kill -9``, for crash tests) and
``restart()`` keep the port and the data, so a client's URI stays valid across a restart. ``close()`` stops
the server and deletes its data. ``tests/conftest.py`` turns them into fixtures: one server of each kind per
pytest session (started lazily) and a fresh database per test (``postgres_uri``, ``redis_uri``).

Postgres refuses to run as root; as root we run it as an unprivileged system user (``postgres``, which
Debian's package creates, else ``nobody``) through ``runuser``, with its directory owned by that user.
Durability is off for speed (``fsync=off``, ``full_page_writes=off``, ``synchronous_commit=off``). Losing
fsync costs nothing when only processes die (the OS page cache survives a ``kill -9``), but
``synchronous_commit=off`` acknowledges commits before the WAL leaves Postgres' memory, so a killed server
forgets its last ~200 ms of commits: crash tests that count acknowledged writes ask for
``PostgresServer(..., synchronous_commit=True)`` (still fast, since nothing is fsynced).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import random
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

INSTALL_HINT = "run `make test` once (its `sysdeps` step installs redis-server and postgresql with apt)"
START_TIMEOUT_S = 30.0
"""Generous for a loaded 2-core box; a healthy start takes well under a second (initdb about 1-2 s)."""
_MAX_SOCKET_DIR = 80
"""Unix socket paths are limited to 107 bytes; Postgres appends ``/.s.PGSQL.<port>`` to the directory."""


class MissingServiceBinary(RuntimeError):
    """A server binary is not installed; the message says how to install it."""


class ServiceStartError(RuntimeError):
    """A server did not come up; the message carries the tail of its log."""


_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST_PORT = 10_000
_handed_out: set[int] = set()


def _below_ephemeral_range() -> range:
    """Ports the kernel never hands to a ``bind(port 0)``: those under its ephemeral range."""
    try:
        first_ephemeral = int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        first_ephemeral = 32_768  # Linux's default
    return range(_LOWEST_PORT, max(_LOWEST_PORT + 1_000, first_ephemeral))


def free_port() -> int:
    """A loopback port nothing listens on now, for a server process to take later.

    Why not ``bind(port 0)`` and release it: between the release and the server's own bind, any process that
    binds port 0 (an SDK app, a client socket) may be given that same port, and the test then talks to the
    wrong server. Ports under the ephemeral range are never given out that way, and this process never hands
    out one port twice.
    """
    candidates = _below_ephemeral_range()
    for _ in range(1_000):
        port = random.choice(candidates)
        if port in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue  # in use, or lingering in TIME_WAIT
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free loopback port in {candidates}")


def redis_server_binary() -> str:
    found = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin:/usr/sbin")
    if found is None:
        raise MissingServiceBinary(f"redis-server is not installed: {INSTALL_HINT}")
    return found


def postgres_bin_dir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``initdb`` (Debian's layout)."""
    candidates = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    if not candidates:
        raise MissingServiceBinary(f"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): {INSTALL_HINT}")

    def version(bin_dir: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in bin_dir.parent.name.split(".") if part.isdigit())

    return max(candidates, key=version)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"<{path}: no log>"
    return f"--- {path} ---\n" + "\n".join(text.splitlines()[-lines:])


def _unprivileged_user() -> pwd.struct_passwd | None:
    """The user Postgres runs as: None when we are not root (we run it ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return pwd.getpwnam("postgres")


def _reachable_by(path: Path, user: pwd.struct_passwd | None) -> bool:
    """Whether ``user`` can traverse every ancestor of ``path`` (pytest's temp dirs are mode 0700)."""
    if user is None:
        return True
    for ancestor in [path, *path.parents]:
        st = ancestor.stat()
        if st.st_uid != user.pw_uid and not st.st_mode & stat.S_IXOTH:
            return False
    return True


def _server_dir(tmpdir: Path | None, prefix: str, user: pwd.struct_passwd | None) -> Path:
    """A fresh directory for one server, under ``tmpdir`` when the server's user can reach it and the
    socket path fits, else under the system temp dir; owned by ``user``."""
    parent: Path | None = tmpdir
    if parent is not None and (len(str(parent)) > _MAX_SOCKET_DIR - 20 or not _reachable_by(parent, user)):
        parent = None
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)
    return path


class RedisServer:
    """One ``redis-server`` on 127.0.0.1. ``aof=True`` turns on the append-only file (``appendfsync`` as given,
    ``everysec`` like the deployment; ``always`` for a crash test that must lose nothing)."""

    def __init__(
        self, tmpdir: Path | None = None, port: int | None = None, *, aof: bool = False, appendfsync: str = "everysec"
    ) -> None:
        self.binary = redis_server_binary()
        self.dir = _server_dir(tmpdir, "redis-", None)
        self.log = self.dir / "redis.log"
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port()
        self.aof = aof
        self.appendfsync = appendfsync
        self._proc: subprocess.Popen[bytes] | None = None

    def uri(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _command(self) -> list[str]:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir)]
        command += ["--logfile", str(self.log), "--daemonize", "no", "--save", "", "--protected-mode", "no"]
        command += ["--appendonly", "yes" if self.aof else "no", "--appendfsync", self.appendfsync]
        return command

    def start(self) -> RedisServer:
        if self.running:
            return self
        for _attempt in range(3):
            self._proc = subprocess.Popen(self._command(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            if self._wait_ready():
                return self
            self._terminate(signal.SIGKILL)
            if self._fixed_port or "Address already in use" not in _tail(self.log):
                break
            self.port = free_port()  # another process took the port between free_port() and bind
        raise ServiceStartError(f"redis-server did not start on port {self.port}\n{_tail(self.log)}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_S
        while self._proc is not None and self._proc.poll() is None and time.monotonic() < deadline:
            if self._ping():
                return True
            time.sleep(0.02)
        return False

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def _terminate(self, sig: signal.Signals) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.send_signal(sig)
        try:
            self._proc.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def stop(self) -> None:
        """Graceful shutdown (SIGTERM): Redis flushes and fsyncs its AOF before exiting."""
        self._terminate(signal.SIGTERM)

    def kill(self) -> None:
        """``kill -9``: what the AOF's ``appendfsync`` policy has not written yet is lost."""
        self._terminate(signal.SIGKILL)

    def restart(self) -> RedisServer:
        self.stop()
        return self.start()

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresServer:
    """One PostgreSQL cluster (``initdb`` on first start) on 127.0.0.1 with trust auth on loopback, fsync off.

    ``uri(dbname)`` is ``postgresql://<user>@127.0.0.1:<port>/<dbname>``; ``create_database()`` and
    ``drop_database()`` make throwaway databases."""

    def __init__(
        self, tmpdir: Path | None = None, port: int | None = None, *, synchronous_commit: bool = False
    ) -> None:
        self.synchronous_commit = synchronous_commit
        self.bin_dir = postgres_bin_dir()
        self.run_as = _unprivileged_user()
        self.user = self.run_as.pw_name if self.run_as is not None else pwd.getpwuid(os.geteuid()).pw_name
        self.dir = _server_dir(tmpdir, "pg-", self.run_as)
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    def uri(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = list(command)
        if self.run_as is not None:
            argv = ["runuser", "-u", self.run_as.pw_name, "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=self.dir)
        if check and result.returncode != 0:
            raise ServiceStartError(
                f"{' '.join(command)} exited {result.returncode}\n{result.stdout}\n{result.stderr}\n{_tail(self.log)}"
            )
        return result

    def _initdb(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )

    def _command(self) -> list[str]:
        # The postmaster runs in the foreground as our child (through runuser when we are root), so we reap it
        # ourselves: after a kill, a zombie left to a non-reaping PID 1 would keep its postmaster.pid "alive".
        command = [str(self.bin_dir / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.dir)]
        for setting in (
            "listen_addresses=127.0.0.1",
            "fsync=off",
            f"synchronous_commit={'on' if self.synchronous_commit else 'off'}",
            "full_page_writes=off",
            "max_connections=200",
        ):
            command += ["-c", setting]
        if self.run_as is not None:
            command = ["runuser", "-u", self.run_as.pw_name, "--", *command]
        return command

    def start(self) -> PostgresServer:
        if self.running:
            return self
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        for _attempt in range(3):
            offset = self.log.stat().st_size if self.log.exists() else 0
            with self.log.open("ab") as log:
                self._proc = subprocess.Popen(self._command(), stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            if self._wait_ready():
                return self
            self._terminate(signal.SIGKILL)
            if self._fixed_port or "could not bind" not in self.log.read_text(errors="replace")[offset:]:
                break
            self.port = free_port()  # another process took the port between free_port() and bind
        raise ServiceStartError(f"postgres did not start on port {self.port}\n{_tail(self.log)}")

    def _wait_ready(self) -> bool:
        """Ready when postmaster.pid says so (its last line, since PostgreSQL 10) and the port accepts."""
        deadline = time.monotonic() + START_TIMEOUT_S
        pid_file = self.data / "postmaster.pid"
        while self._proc is not None and self._proc.poll() is None and time.monotonic() < deadline:
            try:
                ready = pid_file.read_text().split("\n")[7].strip() == "ready"
            except (OSError, IndexError):
                ready = False
            if ready:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            time.sleep(0.02)
        return False

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _terminate(self, sig: signal.Signals) -> None:
        """Signal the postmaster (not runuser, which would only forward it) and reap our child."""
        if self._proc is None:
            return
        pid = self._postmaster_pid()
        if self._proc.poll() is None:
            if sig == signal.SIGKILL and pid is not None:
                for child in _children(pid):  # the whole server dies, as in a machine crash
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(child, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid if pid is not None else self._proc.pid, sig)
        try:
            self._proc.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def stop(self, mode: str = "fast") -> None:
        """Shut down: ``fast`` (the default, SIGINT) disconnects clients and checkpoints; ``smart`` (SIGTERM)
        waits for them; ``immediate`` (SIGQUIT) exits at once and the next start runs recovery."""
        sig = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}[mode]
        self._terminate(sig)

    def kill(self) -> None:
        """``kill -9`` the postmaster and its backends; the next start runs crash recovery."""
        self._terminate(signal.SIGKILL)

    def restart(self) -> PostgresServer:
        self.stop()
        return self.start()

    def close(self) -> None:
        self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.uri("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (``t_<random>`` unless named) and return its URI."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.uri(name)

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _children(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux /proc): the postmaster's backends and auxiliary processes."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            # The command name (2nd field) is in parentheses and may hold spaces: split after its ')'.
            if int(stat_file.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat_file.parent.name))
    return found


def flush_redis_db(uri: str) -> None:
    """FLUSHDB the logical database ``uri`` names."""
    import redis

    client = redis.Redis.from_url(uri)
    try:
        client.flushdb()
    finally:
        client.close()
