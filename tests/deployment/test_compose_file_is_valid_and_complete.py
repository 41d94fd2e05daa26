"""server/compose.yaml is valid for docker-compose and has the reference deployment's shape.

``docker-compose config`` validates and interpolates the file with the example .env (no Docker daemon is
involved); the resolved YAML is then checked for the three services, the ports, health checks, volumes,
resource limits, Redis' append-only file and the replica count.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

SERVER_DIR = Path(__file__).resolve().parents[2] / "server"


@pytest.fixture(scope="module")
def docker_compose() -> str:
    found = shutil.which("docker-compose")
    if found is None:
        pytest.fail(
            "docker-compose is not installed: run `make test` once (its sysdeps step installs it with apt)",
            pytrace=False,
        )
    return found


def _config(docker_compose: str, env_file: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [docker_compose, "--env-file", str(env_file), "-f", str(SERVER_DIR / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


@pytest.fixture(scope="module")
def resolved(docker_compose: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env_file = tmp_path_factory.mktemp("compose") / ".env"
    shutil.copy(SERVER_DIR / ".env.example", env_file)
    result = _config(docker_compose, env_file)
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


def test_the_three_services_of_the_reference(resolved: dict[str, Any]) -> None:
    assert set(resolved["services"]) == {"inngest", "postgres", "redis"}


def test_inngest_publishes_the_api_and_gateway_ports(resolved: dict[str, Any]) -> None:
    inngest = resolved["services"]["inngest"]
    assert {int(p["target"]) for p in inngest["ports"]} == {8288, 8289}
    assert {str(p["published"]) for p in inngest["ports"]} == {"8288", "8289"}
    command = inngest["command"]
    assert command[:2] == ["inngest-lab", "start"]
    assert "--connect-gateway-port=8289" in command
    assert "--postgres-uri=postgres://inngest:inngest@postgres:5432/inngest" in command
    assert "--redis-uri=redis://redis:6379" in command


def test_inngest_waits_for_healthy_stores(resolved: dict[str, Any]) -> None:
    depends_on = resolved["services"]["inngest"]["depends_on"]
    assert depends_on == {name: {"condition": "service_healthy"} for name in ("postgres", "redis")}


def test_every_service_has_a_healthcheck(resolved: dict[str, Any]) -> None:
    for name, service in resolved["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    checks = {name: " ".join(service["healthcheck"]["test"]) for name, service in resolved["services"].items()}
    assert "/health" in checks["inngest"] and "8288" in checks["inngest"]
    assert "8288/ready" in checks["inngest"], "healthy means ready too: the stores are reachable and migrated"
    assert "pg_isready" in checks["postgres"]
    assert "redis-cli ping" in checks["redis"]


def test_data_lives_in_the_two_named_volumes(resolved: dict[str, Any]) -> None:
    assert set(resolved["volumes"]) == {"inngest_pg_data", "inngest_redis_data"}
    services = resolved["services"]
    assert any(v.startswith("inngest_pg_data:/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert any(v.startswith("inngest_redis_data:/data") for v in services["redis"]["volumes"])


def test_every_service_has_cpu_and_memory_limits_and_reservations(resolved: dict[str, Any]) -> None:
    expected = {
        "inngest": ("1.0", "512M", "0.5", "256M"),
        "postgres": ("0.5", "256M", "0.25", "128M"),
        "redis": ("0.5", "128M", "0.25", "64M"),
    }
    for name, (cpu_limit, memory_limit, cpu_reservation, memory_reservation) in expected.items():
        resources = resolved["services"][name]["deploy"]["resources"]
        assert float(resources["limits"]["cpus"]) == float(cpu_limit), name
        assert resources["limits"]["memory"] == memory_limit, name
        assert float(resources["reservations"]["cpus"]) == float(cpu_reservation), name
        assert resources["reservations"]["memory"] == memory_reservation, name


def test_redis_keeps_an_append_only_file(resolved: dict[str, Any]) -> None:
    command = resolved["services"]["redis"]["command"]
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--appendfsync") + 1] == "everysec"
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


def test_the_server_scales_out_by_replicas(
    resolved: dict[str, Any], docker_compose: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert int(resolved["services"]["inngest"]["deploy"]["replicas"]) == 1
    assert "container_name" not in resolved["services"]["inngest"]  # a fixed name cannot be replicated
    env_file = tmp_path_factory.mktemp("compose-scaled") / ".env"
    shutil.copy(SERVER_DIR / ".env.example", env_file)
    result = _config(docker_compose, env_file, INNGEST_REPLICAS="3", INNGEST_PORT_OVERRIDE="8300-8302")
    assert result.returncode == 0, result.stderr
    scaled = yaml.safe_load(result.stdout)["services"]["inngest"]
    assert int(scaled["deploy"]["replicas"]) == 3
    assert "8300-8302" in {str(p["published"]) for p in scaled["ports"]}


def test_the_keys_are_mandatory(docker_compose: str, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    lines = (SERVER_DIR / ".env.example").read_text().splitlines()
    env_file.write_text("\n".join(line for line in lines if not line.startswith("INNGEST_SIGNING_KEY=")) + "\n")
    result = _config(docker_compose, env_file)
    assert result.returncode != 0
    assert "INNGEST_SIGNING_KEY" in result.stderr


def test_env_example_sets_every_variable_the_compose_file_reads() -> None:
    compose = (SERVER_DIR / "compose.yaml").read_text()
    example = (SERVER_DIR / ".env.example").read_text()
    defined = {line.partition("=")[0] for line in example.splitlines() if line and not line.startswith("#")}
    used = set(re.findall(r"(?<!\$)\$\{([A-Z_]+)", compose))  # $${X} is a literal, for the container's shell
    optional = {"INNGEST_LAB_IMAGE", "INNGEST_SIGNING_KEY_FALLBACK"}
    assert used - optional <= defined, f"not in .env.example: {sorted(used - optional - defined)}"
