"""``inngest-lab hash-password`` prints a hash the server accepts; bad login flags exit 2 with a clear message."""

from __future__ import annotations

import subprocess
import sys

import pytest

from inngest_lab.cli import main
from inngest_lab.server.auth_password import verify_password
from tests.integration.auth.conftest import SIGNING_KEY

START = ["start", "--port", "0", "--event-key", "k-123", "--signing-key", SIGNING_KEY]


def test_the_command_hashes_a_password_read_from_stdin() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "inngest_lab.cli", "hash-password"],
        input="s3cret pass\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    printed = done.stdout.strip()
    assert printed.startswith("scrypt:15:8:1:") and "s3cret" not in done.stdout + done.stderr
    assert verify_password("s3cret pass", printed) and not verify_password("s3cret pas", printed)


def test_an_empty_password_is_refused() -> None:
    command = [sys.executable, "-m", "inngest_lab.cli", "hash-password"]
    done = subprocess.run(command, input="\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "empty" in done.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--ui-password-hash", "hunter2"], "not a hash made by `inngest-lab hash-password`"),
        (["--ui-password-hash", "scrypt:15:8:1:c2FsdA:short"], "not a hash"),
        (["--session-secret", "too-short"], "at least 32 characters"),
        (["--allowed-host", "https://box.example"], "without scheme, port or path"),
        (["--allowed-host", "box.example:8288"], "without scheme, port or path"),
    ],
)
def test_bad_login_flags_exit_2(extra: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*START, *extra]) == 2
    assert message in capsys.readouterr().err


def test_help_documents_the_login_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["start", "--help"]) == 0
    out = capsys.readouterr().out
    for text in ("--ui-password-hash", "--session-secret", "INNGEST_UI_PASSWORD_HASH", "INNGEST_SESSION_SECRET"):
        assert text in out
    assert main(["--help"]) == 0
    assert "hash-password" in capsys.readouterr().out


def test_allowed_hosts_come_from_the_flag_and_the_environment() -> None:
    from inngest_lab.cli import build_parser, config_from_args

    args = build_parser().parse_args(["dev", "--allowed-host", "Box.Example"])
    config = config_from_args(args, {"INNGEST_ALLOWED_HOSTS": "a.example, b.example"})
    assert config.ui.allowed_hosts == ("box.example", "a.example", "b.example")
