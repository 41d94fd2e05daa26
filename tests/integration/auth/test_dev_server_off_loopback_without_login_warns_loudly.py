"""``inngest-lab dev --host 0.0.0.0`` without a UI password prints a loud warning naming what is exposed and
how to fix it; on loopback, or with a password, it does not."""

from __future__ import annotations

from pathlib import Path

from tests.integration.auth.conftest import PASSWORD_HASH
from tests.integration.auth.test_start_without_a_password_keeps_the_dashboard_off import running

DEV = ["dev", "--port", "0", "--no-discovery", "--no-poll"]


async def test_all_interfaces_without_a_login_warn(tmp_path: Path) -> None:
    async with running([*DEV, "--host", "0.0.0.0", "--sqlite-dir", str(tmp_path)], {}) as (_, printed):
        assert "WARNING: the dev server listens on 0.0.0.0, not loopback, and has no login." in printed
        assert "cancel runs" in printed and "--host 127.0.0.1" in printed and "hash-password" in printed
        assert "Dashboard:    open (dev server, no login) ON A NON-LOOPBACK INTERFACE" in printed


async def test_loopback_or_a_password_does_not_warn(tmp_path: Path) -> None:
    async with running([*DEV, "--sqlite-dir", str(tmp_path / "a")], {}) as (_, printed):
        assert "WARNING" not in printed and "Dashboard:    open (dev server, no login) at http" in printed
    argv = [*DEV, "--host", "0.0.0.0", "--ui-password-hash", PASSWORD_HASH, "--sqlite-dir", str(tmp_path / "b")]
    async with running(argv, {}) as (_, printed):
        assert "WARNING" not in printed and "login required" in printed
