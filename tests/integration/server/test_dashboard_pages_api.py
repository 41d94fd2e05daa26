"""The routes behind the dashboard's pages (``dashboard_reads``, ``ui_app``) on a real server and SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from tornado.netutil import bind_sockets

from inngest_lab.cli import build_parser, config_from_args
from inngest_lab.executor.engine import Engine
from inngest_lab.server.app import ServerSettings, make_app, start_server
from inngest_lab.server.dashboard_query import Cursor
from inngest_lab.server.ui_app import CSRF_META_SETTING, ui_routes
from tests.integration.server.conftest import Api, FakeSdk, Serve, register_body


async def _register(api: Api, url: str, trigger: dict[str, Any] | None = None) -> None:
    body = register_body(url)
    if trigger is not None:
        body["functions"][0]["triggers"] = [trigger]
    assert (await api.call("POST", "/fn/register", json_body=body)).status == 200


async def _runs(api: Api, engine: Engine, n: int) -> list[str]:
    """``n`` runs of ``my-app-child``, one per event with ``data.n`` 0…n-1; their ids newest first."""
    ids = (await api.call("POST", "/e/key", json_body=[{"name": "app/child", "data": {"n": i}} for i in range(n)])).json
    assert len(ids["ids"]) == n
    return [r.run_id for r in await engine.store.list_runs(limit=100)]


async def test_run_paging_walks_every_run_once_in_the_stores_order(
    dev_api: Api, engine: Engine, fake_sdk: FakeSdk
) -> None:
    await _register(dev_api, fake_sdk.url)
    expected = await _runs(dev_api, engine, 7)
    seen: list[str] = []
    cursor = ""
    while True:
        reply = await dev_api.call("GET", f"/lab/runs/page?limit=3&cursor={cursor}")
        assert reply.status == 200, reply.text
        seen += [r["run_id"] for r in reply.json["data"]]
        cursor = reply.json["metadata"]["next_cursor"]
        if cursor is None:
            break
    assert seen == expected  # events of one request share a millisecond: the cursor breaks ties by run id


async def test_cel_search_and_app_filter_read_the_event_and_the_output(
    dev_api: Api, engine: Engine, fake_sdk: FakeSdk
) -> None:
    await _register(dev_api, fake_sdk.url)
    await _runs(dev_api, engine, 5)
    reply = await dev_api.call("GET", "/lab/runs/page?q=event.data.n%20%3E%3D%203")
    assert sorted(r["event_name"] for r in reply.json["data"]) == ["app/child", "app/child"]
    assert (await dev_api.call("GET", "/lab/runs/page?app_id=other")).json["data"] == []
    assert len((await dev_api.call("GET", "/lab/runs/page?app_id=my-app")).json["data"]) == 5


async def test_bad_page_arguments_are_400s_that_name_them(dev_api: Api) -> None:
    for query, word in [
        ("q=event.data.(", "search"),
        ("cursor=%%%", "cursor"),
        ("time_field=soon", "time_field"),
        ("status=Sleeping", "status"),
        ("limit=0", "limit"),
        ("from=yesterday", "from"),
        ("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
    ]:
        reply = await dev_api.call("GET", f"/lab/runs/page?{query}")
        assert (reply.status, word in reply.json["error"]) == (400, True), (query, reply.text)


async def test_crons_list_the_next_ticks_in_the_triggers_time_zone(dev_api: Api, fake_sdk: FakeSdk) -> None:
    await _register(dev_api, fake_sdk.url, {"cron": "TZ=Asia/Tokyo 30 9 * * *"})
    [cron] = (await dev_api.call("GET", "/lab/crons?count=3")).json["data"]
    assert (cron["function_id"], cron["zone"], cron["error"]) == ("my-app-child", "Asia/Tokyo", None)
    assert [t["local"][-12:] for t in cron["next"]] == ["T09:30+09:00"] * 3
    assert cron["next"][1]["at_ms"] - cron["next"][0]["at_ms"] == 86_400_000


async def test_cancellation_preview_counts_the_runs_a_cancellation_would_stop(
    dev_api: Api, engine: Engine, fake_sdk: FakeSdk
) -> None:
    fake_sdk.reply_status = 500  # every call fails and is retried: the runs stay Running
    await _register(dev_api, fake_sdk.url)
    await _runs(dev_api, engine, 4)
    body = {"app_id": "my-app", "function_id": "child", "started_before": "2100-01-01T00:00:00Z"}
    reply = await dev_api.call("POST", "/lab/cancellations/preview", json_body={**body, "if": "event.data.n < 3"})
    assert reply.json["data"] == {"count": 3, "at_least": False}
    assert (await dev_api.call("POST", "/lab/cancellations/preview", json_body={"app_id": "x"})).status == 400


async def test_send_and_invoke_start_runs_without_an_event_key(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    await _register(dev_api, fake_sdk.url)
    sent = await dev_api.call("POST", "/lab/events/send", json_body={"name": "app/child", "data": {"n": 1}})
    [event_id] = sent.json["data"]["ids"]
    assert len(await engine.store.list_runs(event_id=event_id)) == 1
    bad = await dev_api.call("POST", "/lab/events/send", json_body={"data": {}})
    assert bad.status == 400 and "name" in bad.json["error"]
    invoked = await dev_api.call("POST", "/lab/functions/my-app-child/invoke", json_body={"data": {"n": 2}})
    [invoke_id] = invoked.json["data"]["ids"]
    [run] = await engine.store.list_runs(event_id=invoke_id)
    assert (run.fn_id, run.event["data"]["n"]) == ("my-app-child", 2)
    assert (await dev_api.call("POST", "/lab/functions/nope/invoke", json_body={})).status == 404
    stats = (await dev_api.call("GET", "/lab/functions/stats")).json["data"]
    assert sum(stats["my-app-child"].values()) == 2


async def test_the_event_api_route_does_not_take_other_paths_starting_with_e(dev_api: Api) -> None:
    assert (await dev_api.call("POST", "/e/key", json_body={"name": "a/b"})).status == 200
    assert (await dev_api.call("POST", "/e", json_body={"name": "a/b"})).status == 401
    assert (await dev_api.call("GET", "/events")).status == 404


async def test_pages_answer_the_shell_and_a_missing_bundle_is_a_503(
    serve: Serve, engine: Engine, tmp_path: Path
) -> None:
    api = await serve(engine, extra_handlers=ui_routes(None, tmp_path))
    missing = await api.call("GET", "/runs")
    assert (missing.status, "not built" in missing.json["error"]) == (503, True)
    (tmp_path / "dashboard.js").write_text("console.log(1)")
    (tmp_path / "dashboard.css").write_text("body{}")
    for path in ("/", "/runs", "/runs/01ABC/", "/events/x", "/functions", "/apps", "/crons", "/cancel", "/charts"):
        page = await api.call("GET", path)
        assert page.status == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert '"mode": "dev"' in page.text
    asset = await api.call("GET", "/ui/dashboard.js?v=1")
    assert (asset.status, asset.text, "immutable" in asset.headers["cache-control"]) == (200, "console.log(1)", True)
    assert (await api.call("GET", "/runs/a/b")).status == 404
    assert 'name="csrf-token"' not in page.text  # no auth module: no token to hand out


async def test_the_shell_carries_the_csrf_token_the_auth_module_gives(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "dashboard.js").write_text("")
    (tmp_path / "dashboard.css").write_text("")
    settings = ServerSettings()
    app = make_app(engine, settings, extra_handlers=ui_routes(None, tmp_path))
    app.settings[CSRF_META_SETTING] = lambda handler: 'tok"en<'
    sockets = bind_sockets(0, "127.0.0.1")
    server = start_server(app, settings, sockets=sockets)
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{sockets[0].getsockname()[1]}/runs") as reply,
        ):
            text = await reply.text()
        assert '<meta name="csrf-token" content="tok&quot;en&lt;">' in text
    finally:
        server.stop()


def test_no_ui_turns_the_dashboard_off() -> None:
    assert config_from_args(build_parser().parse_args(["dev"]), {}).serve_ui is True
    assert config_from_args(build_parser().parse_args(["dev", "--no-ui"]), {}).serve_ui is False


async def test_a_cursor_at_the_oldest_run_ends_the_paging(dev_api: Api, engine: Engine, fake_sdk: FakeSdk) -> None:
    await _register(dev_api, fake_sdk.url)
    ids = await _runs(dev_api, engine, 3)
    oldest = (await engine.store.list_runs(limit=100))[-1]
    cursor = Cursor(oldest.created_at_ms, oldest.run_id).encode()
    reply = await dev_api.call("GET", f"/lab/runs/page?cursor={cursor}&q=true")
    assert (reply.status, reply.json["data"], reply.json["metadata"]["next_cursor"]) == (200, [], None)
    assert oldest.run_id == ids[-1]
