"""The realtime routes on a real server: ordered delivery over WebSocket and SSE, channel and topic scoping by
token, and the auth and input errors (clear 4xx JSON, never a 500)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClientConnection, websocket_connect

import inngest_lab
from inngest_lab.sdk import realtime
from inngest_lab.server.realtime_broker import broker_for
from tests.integration.server.conftest import HASHED_KEY, SIGNING_KEY, Api

AUTH = {"Authorization": f"Bearer {HASHED_KEY}"}


async def token(api: Api, channel: str, topics: list[str], headers: dict[str, str] | None = None) -> str:
    body = [{"channel": channel, "name": t, "kind": "run"} for t in topics]
    reply = await api.call("POST", "/v1/realtime/token", json_body=body, headers=headers)
    assert reply.status == 201, reply.text
    return str(reply.json["jwt"])


async def publish(api: Api, channel: str, topic: str, data: Any, headers: dict[str, str] | None = None) -> int:
    path = f"/v1/realtime/publish?channel={channel}&topic={topic}&run_id=run-1"
    reply = await api.call("POST", path, body=json.dumps(data).encode(), headers=headers)
    return reply.status


async def ws(api: Api, jwt: str) -> WebSocketClientConnection:
    return await websocket_connect(f"ws{api.base_url.removeprefix('http')}/v1/realtime/connect?token={jwt}")


async def frames(conn: WebSocketClientConnection, count: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(count):
        frame = await asyncio.wait_for(conn.read_message(), 5)
        assert isinstance(frame, str)
        out.append(json.loads(frame))
    return out


async def test_a_websocket_subscriber_gets_every_message_in_order_and_only_its_channel_and_topic(dev_api: Api) -> None:
    conn = await ws(dev_api, await token(dev_api, "run:a", ["progress"]))
    for i in range(100):
        assert await publish(dev_api, "run:b", "progress", {"i": -1}) == 200  # another run's channel
        assert await publish(dev_api, "run:a", "log", {"i": -1}) == 200  # a topic the token does not grant
        assert await publish(dev_api, "run:a", "progress", {"i": i}) == 200

    got = await frames(conn, 100)
    conn.close()

    assert [m["data"] for m in got] == [{"i": i} for i in range(100)]
    first = got[0]
    assert (first["kind"], first["channel"], first["topic"], first["run_id"]) == ("data", "run:a", "progress", "run-1")
    assert first["created_at"].endswith("Z")


async def test_sub_adds_a_tokens_topics_to_an_open_websocket(dev_api: Api) -> None:
    conn = await ws(dev_api, await token(dev_api, "run:a", ["progress"]))
    await conn.write_message(json.dumps({"kind": "sub", "data": await token(dev_api, "run:c", ["done"])}))
    await asyncio.sleep(0.05)
    await publish(dev_api, "run:c", "done", "yes")
    await publish(dev_api, "run:a", "progress", 1)

    assert [m["data"] for m in await frames(conn, 2)] == ["yes", 1]
    conn.close()


async def test_the_sse_stream_delivers_the_same_messages(dev_api: Api) -> None:
    jwt = await token(dev_api, "run:s", ["t"])
    async with dev_api.session.get(f"{dev_api.base_url}/v1/realtime/sse?token={jwt}") as resp:
        assert resp.headers["Content-Type"] == "text/event-stream"
        assert (await resp.content.readline()).startswith(b": connected")
        for i in range(3):
            await publish(dev_api, "run:s", "t", i)
        lines = [await asyncio.wait_for(resp.content.readline(), 5) for _ in range(6)]
    datas = [json.loads(line[len(b"data: ") :]) for line in lines if line.startswith(b"data: ")]
    assert [m["data"] for m in datas] == [0, 1, 2]


async def test_text_bodies_are_published_as_strings(dev_api: Api) -> None:
    conn = await ws(dev_api, await token(dev_api, "c", ["t"]))
    reply = await dev_api.call("POST", "/v1/realtime/publish?channel=c&topic=t", body=b"plain words")
    assert reply.status == 200 and reply.text == ""
    [message] = await frames(conn, 1)
    assert message["data"] == "plain words" and "run_id" not in message
    conn.close()


async def test_with_signing_keys_every_route_checks_auth(cloud_api: Api) -> None:
    assert (await cloud_api.call("POST", "/v1/realtime/token", json_body=[{"channel": "c", "name": "t"}])).status == 401
    assert await publish(cloud_api, "c", "t", 1) == 401
    read_only = await token(cloud_api, "c", ["t"], AUTH)
    assert await publish(cloud_api, "c", "t", 1, {"Authorization": f"Bearer {read_only}"}) == 401
    assert await publish(cloud_api, "c", "t", 1, AUTH) == 200

    for path in ("/v1/realtime/sse", "/v1/realtime/sse?token=forged.token.value"):
        reply = await cloud_api.call("GET", path)
        assert reply.status == 401 and "token" in reply.json["error"]
    with pytest.raises(HTTPClientError) as refused:  # a refused upgrade
        await websocket_connect(f"ws{cloud_api.base_url.removeprefix('http')}/v1/realtime/connect?token=x.y.z")
    assert refused.value.code == 401
    conn = await ws(cloud_api, read_only)
    await publish(cloud_api, "c", "t", {"ok": True}, AUTH)
    assert [m["data"] for m in await frames(conn, 1)] == [{"ok": True}]
    conn.close()


async def test_bad_realtime_requests_are_400s_naming_the_problem(dev_api: Api) -> None:
    missing = await dev_api.call("POST", "/v1/realtime/publish?channel=c", body=b"1")
    assert missing.status == 400 and "topic" in missing.json["error"]
    not_array = await dev_api.call("POST", "/v1/realtime/token", json_body={"channel": "c"})
    assert not_array.status == 400 and "array" in not_array.json["error"]
    no_name = await dev_api.call("POST", "/v1/realtime/token", json_body=[{"channel": "c"}])
    assert no_name.status == 400 and "name" in no_name.json["error"]
    plain = await dev_api.call("GET", "/v1/realtime/connect?token=x")
    assert plain.status == 400 and "WebSocket" in plain.json["error"]


async def test_signals_route_answers_404_when_nothing_waits_and_400_for_bad_bodies(
    dev_api: Api, cloud_api: Api
) -> None:
    none = await dev_api.call("POST", "/v1/signals", json_body={"signal": "nobody", "data": 1})
    assert (none.status, none.json["error"]) == (404, "No signal found")
    for bad in ({"data": 1}, {"signal": ""}, ["signal"]):
        reply = await dev_api.call("POST", "/v1/signals", json_body=bad)
        assert reply.status == 400 and "signal" in reply.json["error"].lower()
    assert (await dev_api.call("POST", "/v1/signals", body=b"{not json")).status == 400
    assert (await cloud_api.call("POST", "/v1/signals", json_body={"signal": "s"})).status == 401
    authed = await cloud_api.call("POST", "/v1/signals", json_body={"signal": "s"}, headers=AUTH)
    assert authed.status == 404


async def test_closing_a_websocket_releases_its_subscription(dev_api: Api) -> None:
    broker = broker_for(dev_api.engine.store)
    conn = await ws(dev_api, await token(dev_api, "c", ["t"]))
    assert broker.subscriber_count == 1
    conn.close()
    for _ in range(100):
        if not broker.subscriber_count:
            break
        await asyncio.sleep(0.01)
    assert broker.subscriber_count == 0


async def test_the_run_route_streams_every_message_of_one_run(cloud_api: Api) -> None:
    async with cloud_api.session.get(f"{cloud_api.base_url}/lab/runs/run-1/realtime", headers=AUTH) as resp:
        assert resp.status == 200
        assert (await resp.content.readline()).startswith(b": connected")
        await publish(cloud_api, "any:channel", "t", "mine", AUTH)  # publish() sends run_id=run-1
        await cloud_api.call("POST", "/v1/realtime/publish?channel=c&topic=t&run_id=run-2", body=b"1", headers=AUTH)
        await publish(cloud_api, "other:channel", "u", "mine too", AUTH)
        lines = [await asyncio.wait_for(resp.content.readline(), 5) for _ in range(4)]
    datas = [json.loads(line[len(b"data: ") :])["data"] for line in lines if line.startswith(b"data: ")]
    assert datas == ["mine", "mine too"]
    assert (await cloud_api.call("GET", "/lab/runs/run-1/realtime")).status == 401


async def test_our_sdk_publishes_over_http_with_the_hashed_signing_key(cloud_api: Api) -> None:
    client = inngest_lab.Inngest(
        app_id="app", is_production=True, api_base_url=cloud_api.base_url, signing_key=SIGNING_KEY, environ={}
    )
    conn = await ws(cloud_api, await token(cloud_api, "c", ["t"], AUTH))

    await realtime.publish(client, "c", "t", {"n": 1}, run_id="run-9")

    [message] = await frames(conn, 1)
    assert (message["data"], message["run_id"]) == ({"n": 1}, "run-9")
    unsigned = inngest_lab.Inngest(app_id="app", is_production=True, api_base_url=cloud_api.base_url, environ={})
    with pytest.raises(realtime.RealtimePublishError, match="401"):
        await realtime.publish(unsigned, "c", "t", 2)
    conn.close()
