"""``pauses_matching``: pauses are found through the index on their equality predicates, by every adapter."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from inngest_lab.engine.model import ConsumePause, CreatePause, DeletePause, Pause
from inngest_lab.store.ports import Store
from inngest_lab.store.sqlite import SqliteStore

from .records import a_pause, an_item

NAME = "shop/order.paid"


def keyed(pause_id: str, expression: str | None, *, at_ms: int = 1) -> Pause:
    return replace(a_pause(pause_id, run_id=f"run-{pause_id}", event_name=NAME, at_ms=at_ms), expression=expression)


def paid(**data: object) -> dict[str, object]:
    return {"name": NAME, "data": data, "id": "e1", "ts": 1}


async def ids(store: Store, event: dict[str, object]) -> list[str]:
    [found] = await store.pauses_matching([event])
    return [p.pause_id for p in found]


async def test_an_event_finds_only_the_pause_keyed_by_its_value(store: Store) -> None:
    await store.apply([CreatePause(keyed(f"p{i}", f'async.data.id == "o-{i}"', at_ms=i)) for i in range(50)])

    assert await ids(store, paid(id="o-7")) == ["p7"]
    assert await ids(store, paid(id="o-99")) == []
    assert await ids(store, {"name": "shop/other", "data": {"id": "o-7"}}) == []


async def test_pauses_without_an_indexable_predicate_are_candidates_for_every_event_of_their_name(store: Store) -> None:
    await store.apply(
        [
            CreatePause(keyed("no-if", None, at_ms=1)),
            CreatePause(keyed("range", "async.data.total > 10", at_ms=2)),
            CreatePause(keyed("either", 'async.data.id == "a" || async.data.id == "b"', at_ms=3)),
            CreatePause(keyed("exact", 'async.data.id == "a"', at_ms=4)),
        ]
    )

    assert await ids(store, paid(id="z", total=1)) == ["no-if", "range", "either"]
    assert await ids(store, paid(id="a")) == ["no-if", "range", "either", "exact"]


async def test_every_predicate_of_a_conjunction_must_hold_and_other_conditions_are_left_to_evaluation(
    store: Store,
) -> None:
    await store.apply(
        [
            CreatePause(keyed("both", 'async.data.id == "a" && async.data.shop == 3', at_ms=1)),
            CreatePause(keyed("with-range", 'async.data.id == "a" && async.data.total > 10', at_ms=2)),
        ]
    )

    assert await ids(store, paid(id="a", shop=3.0, total=1)) == ["both", "with-range"]
    assert await ids(store, paid(id="a", shop="3")) == ["with-range"]
    assert await ids(store, paid(id="a")) == ["with-range"]
    assert await ids(store, paid(shop=3)) == []


async def test_values_match_with_cel_equality(store: Store) -> None:
    await store.apply(
        [
            CreatePause(keyed("int", "async.data.n == 1", at_ms=1)),
            CreatePause(keyed("bool", "async.data.n == true", at_ms=2)),
            CreatePause(keyed("str", 'async.data.n == "1"', at_ms=3)),
        ]
    )

    assert await ids(store, paid(n=1.0)) == ["int"]
    assert await ids(store, paid(n=True)) == ["bool"]
    assert await ids(store, paid(n="1")) == ["str"]
    assert await ids(store, paid(n=None)) == []
    assert await ids(store, paid(n={"x": 1})) == []


async def test_deleted_and_consumed_pauses_leave_the_index(store: Store) -> None:
    await store.apply(
        [CreatePause(keyed("a", 'async.data.id == "x"')), CreatePause(keyed("b", 'async.data.id == "x"'))]
    )

    await store.apply([DeletePause("a"), ConsumePause("b", an_item("resume"))])

    assert await ids(store, paid(id="x")) == []
    await store.apply([CreatePause(keyed("c", 'async.data.id == "x"'))])
    assert await ids(store, paid(id="x")) == ["c"]


async def test_the_index_survives_reopening_a_sqlite_file(tmp_path: Path) -> None:
    path = str(tmp_path / "pauses.sqlite3")
    store = SqliteStore(path)
    await store.open()
    await store.apply([CreatePause(keyed(f"p{i}", f"async.data.id == {i}", at_ms=i)) for i in range(3)])
    await store.close()

    reopened = SqliteStore(path)
    await reopened.open()
    try:
        assert await ids(reopened, paid(id=2)) == ["p2"]
    finally:
        await reopened.close()


async def test_a_batch_of_events_gets_the_candidates_of_each_in_order(store: Store) -> None:
    await store.apply(
        [CreatePause(keyed("a", 'async.data.id == "a"')), CreatePause(keyed("b", 'async.data.id == "b"'))]
    )

    found = await store.pauses_matching([paid(id="b"), {"name": "shop/none"}, paid(id="a")])

    assert [[p.pause_id for p in pauses] for pauses in found] == [["b"], [], ["a"]]
