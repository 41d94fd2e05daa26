"""Registry: apps and functions, with change detection on sync."""

from __future__ import annotations

from dataclasses import replace

from inngest_lab.engine.model import App, Trigger
from inngest_lab.store.ports import Store

from .records import a_function

APP = App(app_id="app", url="http://127.0.0.1:1/api/inngest", sdk="py:v0.5.19", framework="tornado", synced_at_ms=1)


async def test_first_sync_of_an_app_is_a_change(store: Store) -> None:
    assert await store.upsert_app(APP, [a_function("app-a"), a_function("app-b")]) is True

    assert await store.list_apps() == [APP]
    assert await store.list_functions() == [a_function("app-a"), a_function("app-b")]
    assert await store.get_function("app-a") == a_function("app-a")
    assert await store.get_function("app-zzz") is None


async def test_resyncing_the_same_app_is_not_a_change_even_at_a_later_time(store: Store) -> None:
    await store.upsert_app(APP, [a_function("app-a"), a_function("app-b")])
    later = replace(APP, synced_at_ms=99)

    assert await store.upsert_app(later, [a_function("app-b"), a_function("app-a")]) is False
    assert await store.list_apps() == [later]


async def test_a_changed_function_is_a_change(store: Store) -> None:
    await store.upsert_app(APP, [a_function("app-a")])
    changed = replace(a_function("app-a"), triggers=(Trigger(event="test/other"),))

    assert await store.upsert_app(APP, [changed]) is True
    assert await store.get_function("app-a") == changed


async def test_a_changed_app_url_is_a_change(store: Store) -> None:
    await store.upsert_app(APP, [a_function("app-a")])

    assert await store.upsert_app(replace(APP, url="http://127.0.0.1:2/api/inngest"), [a_function("app-a")]) is True


async def test_functions_missing_from_a_new_sync_are_removed(store: Store) -> None:
    await store.upsert_app(APP, [a_function("app-a"), a_function("app-b")])

    assert await store.upsert_app(APP, [a_function("app-b")]) is True
    assert await store.list_functions() == [a_function("app-b")]
    assert await store.get_function("app-a") is None


async def test_syncing_one_app_leaves_other_apps_functions_alone(store: Store) -> None:
    other = App(app_id="other", url="http://127.0.0.1:3/api/inngest")
    await store.upsert_app(other, [a_function("other-x", app_id="other")])
    await store.upsert_app(APP, [a_function("app-a")])

    assert [f.fn_id for f in await store.list_functions()] == ["app-a", "other-x"]


async def test_deleting_an_app_removes_its_functions(store: Store) -> None:
    await store.upsert_app(APP, [a_function("app-a")])

    await store.delete_app("app")

    assert await store.list_apps() == []
    assert await store.list_functions() == []
    assert await store.upsert_app(APP, [a_function("app-a")]) is True
