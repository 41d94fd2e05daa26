"""server/.env.example ships the example keys, and `inngest-lab start` refuses exactly those."""

from __future__ import annotations

from pathlib import Path

import pytest

from inngest_lab.cli import EXAMPLE_EVENT_KEY, EXAMPLE_SIGNING_KEY, ConfigError, build_parser, config_from_args

SERVER_DIR = Path(__file__).resolve().parents[2] / "server"


def _env_example() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in (SERVER_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def test_env_example_holds_the_keys_the_cli_calls_examples() -> None:
    env = _env_example()
    assert env["INNGEST_EVENT_KEY"] == EXAMPLE_EVENT_KEY
    assert env["INNGEST_SIGNING_KEY"] == EXAMPLE_SIGNING_KEY


def test_start_refuses_the_env_example_unless_default_keys_are_allowed() -> None:
    env = _env_example()
    with pytest.raises(ConfigError, match="example keys"):
        config_from_args(build_parser().parse_args(["start"]), env)
    config = config_from_args(build_parser().parse_args(["start", "--allow-default-keys"]), env)
    assert config.signing_keys == (EXAMPLE_SIGNING_KEY,)


def test_container_runs_start_and_compose_gives_it_the_env_keys() -> None:
    containerfile = (SERVER_DIR / "Containerfile").read_text()
    compose = (SERVER_DIR / "compose.yaml").read_text()
    assert '"inngest-lab", "start"' in containerfile
    assert '"--sqlite-dir", "/data"' in containerfile  # alone, on SQLite; compose runs it on Postgres + Redis
    assert "INNGEST_EVENT_KEY: ${INNGEST_EVENT_KEY:?" in compose
    assert "INNGEST_SIGNING_KEY: ${INNGEST_SIGNING_KEY:?" in compose
