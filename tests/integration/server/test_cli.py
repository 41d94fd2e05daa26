"""The command line: help, refusing unsafe self-hosted configurations, and a real start/stop cycle."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from inngest_lab.cli import EXAMPLE_EVENT_KEY, EXAMPLE_SIGNING_KEY, build_parser, config_from_args, main, mask, serve
from inngest_lab.protocol.consts import ServerKind

GOOD_KEY = "signkey-prod-" + "ab12" * 16


def test_help_lists_both_commands_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "dev" in out
    assert "start" in out
    assert "examples:" in out


def test_start_help_documents_the_key_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["start", "--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--event-key", "--signing-key", "--signing-key-fallback", "--allow-default-keys", "--sqlite-dir"):
        assert flag in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["start", "--event-key", "k"], "signing key"),
        (["start", "--signing-key", GOOD_KEY], "event key"),
        (["start", "--event-key", "k", "--signing-key", "signkey-prod-xyz"], "even-length hex"),
        (["start", "--event-key", "k", "--signing-key", "abc"], "even-length hex"),
        (["start", "--event-key", "k", "--signing-key", GOOD_KEY, "--signing-key-fallback", "nothex"], "hex"),
        (["start", "--event-key", "k", "--signing-key", EXAMPLE_SIGNING_KEY], "example keys"),
        (["start", "--event-key", EXAMPLE_EVENT_KEY, "--signing-key", GOOD_KEY], "example keys"),
        (["dev", "--signing-key", "not-hex"], "even-length hex"),
    ],
)
def test_unsafe_or_incomplete_configurations_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_SIGNING_KEY_FALLBACK"):
        monkeypatch.delenv(var, raising=False)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_example_keys_are_allowed_when_explicitly_requested() -> None:
    args = build_parser().parse_args(
        ["start", "--event-key", EXAMPLE_EVENT_KEY, "--signing-key", EXAMPLE_SIGNING_KEY, "--allow-default-keys"]
    )
    config = config_from_args(args, {})
    assert config.kind is ServerKind.CLOUD
    assert config.signing_keys == (EXAMPLE_SIGNING_KEY,)


def test_start_reads_keys_from_the_environment() -> None:
    args = build_parser().parse_args(["start"])
    env = {"INNGEST_EVENT_KEY": "a, b", "INNGEST_SIGNING_KEY": GOOD_KEY, "INNGEST_SIGNING_KEY_FALLBACK": "abcd"}
    config = config_from_args(args, env)
    assert config.event_keys == ("a", "b")
    assert config.signing_keys == (GOOD_KEY, "abcd")
    assert config.poll_interval_s == 0
    assert config.discovery is False


def test_dev_defaults_to_discovery_polling_and_a_temporary_database() -> None:
    config = config_from_args(build_parser().parse_args(["dev"]), {})
    assert (config.kind, config.discovery, config.poll, config.poll_interval_s, config.sqlite_dir) == (
        ServerKind.DEV,
        True,
        True,
        5.0,
        None,
    )
    assert config_from_args(build_parser().parse_args(["dev", "--no-discovery", "--no-poll"]), {}).discovery is False


def test_masking_keeps_the_prefix_and_four_characters() -> None:
    assert mask(GOOD_KEY) == "signkey-prod-ab12…"
    assert mask("short") == "****"


async def test_serve_answers_http_and_stops_cleanly(tmp_path: Path) -> None:
    args = build_parser().parse_args(["dev", "--port", "0", "--no-discovery", "--sqlite-dir", str(tmp_path)])
    config = config_from_args(args, {})
    lines: list[str] = []
    stop = asyncio.Event()
    task = asyncio.create_task(serve(config, stop=stop, out=lines.append))
    for _ in range(200):
        if lines:
            break
        await asyncio.sleep(0.01)
    url = next(line.split()[-1] for line in lines[0].splitlines() if "URL:" in line)
    reply = await asyncio.to_thread(lambda: urllib.request.urlopen(url + "/health", timeout=5).read())  # noqa: S310
    assert json.loads(reply)["status"] == 200
    assert str(tmp_path / "main.db") in lines[0]
    stop.set()
    await asyncio.wait_for(task, 10)
    assert (tmp_path / "main.db").exists()


def test_the_installed_command_shuts_down_on_sigterm_without_leaking_secrets(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "inngest_lab.cli",
            "start",
            "--port",
            "0",
            "--sqlite-dir",
            str(tmp_path),
            "--event-key",
            "very-secret-event-key",
            "--signing-key",
            GOOD_KEY,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    banner = [proc.stdout.readline() for _ in range(9)]
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=20)
    text = "".join(banner) + rest
    assert proc.returncode == 0, text
    assert "self-hosted" in text
    assert "very-secret-event-key" not in text
    assert "ab12ab12ab12" not in text
    assert "shutting down" in text
