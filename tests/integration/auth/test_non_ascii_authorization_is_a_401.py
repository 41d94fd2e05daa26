"""An ``Authorization`` header with non-ASCII bytes is a wrong key like any other: 401, never a 500 (the
constant-time comparison raises on non-ASCII text). Sent as raw bytes on a socket, since HTTP clients refuse to."""

from __future__ import annotations

import asyncio

from tests.integration.auth.conftest import Serve, start_settings

ROUTES = [("GET", "/lab/runs"), ("GET", "/v1/events"), ("POST", "/fn/register"), ("GET", "/v0/runs/x/batch")]


async def raw_status(port: int, method: str, path: str, authorization: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 2\r\nConnection: close\r\n".encode()
            + b"Authorization: "
            + authorization
            + b"\r\n\r\n{}"
        )
        await writer.drain()
        response = await reader.read()
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


async def test_non_ascii_bearer_tokens_get_401_on_every_kind_of_route(serve: Serve) -> None:
    server = await serve(start_settings())
    for token in ("Bearer signkey-prod-é".encode("latin-1"), "Bearer ключ".encode(), b"Bearer \xff\xfe", b"\xe9"):
        for method, path in ROUTES:
            status, body = await raw_status(server.port, method, path, token)
            assert status == 401, (token, path, status, body)
            assert b"unauthorized" in body
