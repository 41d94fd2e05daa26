"""`--postgres-uri`/`--redis-uri` and Inngest's pool flags, from the command line or INNGEST_* variables."""

from __future__ import annotations

import pytest

from inngest_lab.cli import ConfigError, build_parser, config_from_args, main


def _config(argv: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return config_from_args(build_parser().parse_args(argv), env or {})


def test_both_uris_select_postgres_and_redis_with_inngests_pool_defaults() -> None:
    config = _config(["dev", "--postgres-uri", "postgresql://u:p@db/x", "--redis-uri", "redis://r:6379/0"])

    assert config.shared is not None
    assert (config.shared.postgres_uri, config.shared.redis_uri) == ("postgresql://u:p@db/x", "redis://r:6379/0")
    assert (config.shared.postgres_max_open_conns, config.shared.postgres_max_idle_conns) == (100, 10)
    assert config.shared.postgres_conn_max_idle_time_s == 300
    assert config.shared.postgres_conn_max_lifetime_s == 1800
    assert config.lease_ms == 10_000


def test_no_uri_keeps_sqlite() -> None:
    config = _config(["dev"])

    assert config.shared is None
    assert config.lease_ms == 30_000


def test_the_environment_sets_every_flag_the_command_line_does_not() -> None:
    env = {
        "INNGEST_POSTGRES_URI": "postgres://db/x",
        "INNGEST_REDIS_URI": "redis://r/1",
        "INNGEST_POSTGRES_MAX_OPEN_CONNS": "20",
        "INNGEST_POSTGRES_MAX_IDLE_CONNS": "2",
        "INNGEST_POSTGRES_CONN_MAX_IDLE_TIME": "1",
        "INNGEST_POSTGRES_CONN_MAX_LIFETIME": "2",
    }
    config = _config(["dev", "--postgres-max-open-conns", "30"], env)

    assert config.shared is not None
    assert config.shared.postgres_uri == "postgres://db/x"
    assert config.shared.postgres_max_open_conns == 30  # the flag wins over the variable
    assert config.shared.postgres_max_idle_conns == 2
    assert (config.shared.postgres_conn_max_idle_time_s, config.shared.postgres_conn_max_lifetime_s) == (60, 120)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dev", "--postgres-uri", "postgresql://db/x"], "--postgres-uri needs --redis-uri too"),
        (["dev", "--redis-uri", "redis://r/0"], "--redis-uri needs --postgres-uri too"),
        (["dev", "--postgres-uri", "mysql://db", "--redis-uri", "redis://r"], "must start with postgres://"),
        (["dev", "--postgres-uri", "postgres://db", "--redis-uri", "http://r"], "must start with redis://"),
    ],
)
def test_incomplete_or_wrong_uris_are_refused_with_the_reason(argv: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _config(argv)


def test_an_unreachable_store_exits_1_with_one_line_and_no_password(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "dev",
            "--port",
            "0",
            "--postgres-uri",
            "postgresql://u:hunter2@127.0.0.1:1/x",
            "--redis-uri",
            "redis://127.0.0.1:1/0",
        ]
    )

    err = capsys.readouterr().err
    assert code == 1
    assert "cannot open the stores" in err
    assert "Traceback" not in err
    assert "hunter2" not in err


def test_queue_workers_default_to_inngests_100_and_take_its_flag_and_variable() -> None:
    assert _config(["dev"]).workers == 100
    assert _config(["start", *_KEYS, "--queue-workers", "12"]).workers == 12
    assert _config(["dev", "--workers", "7"]).workers == 7  # the older spelling
    assert _config(["dev"], {"INNGEST_QUEUE_WORKERS": "250"}).workers == 250
    with pytest.raises(ConfigError, match="--queue-workers must be at least 1"):
        _config(["dev", "--queue-workers", "0"])


_KEYS = ["--signing-key", "signkey-test-" + "ab" * 32, "--event-key", "k"]
