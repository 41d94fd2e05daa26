"""Auto-pipelined script calls (``store/redis_pg/autopipe.py``) behave exactly like separate calls, on a real Redis:
each gets its own reply or error, in call order, and a script Redis lost is loaded again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from inngest_lab.store.redis_pg.autopipe import ScriptPipe

INCR = "return redis.call('INCRBY', KEYS[1], ARGV[1])"
FAIL = "return redis.error_reply('refused: ' .. ARGV[1])"


@pytest.fixture
async def redis(redis_uri: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_uri, decode_responses=True)
    try:
        yield client
    finally:
        await client.aclose()


async def test_calls_of_one_turn_go_in_one_pipeline_and_each_gets_its_own_reply(redis: Redis) -> None:
    pipe = ScriptPipe(redis)
    incr = redis.register_script(INCR)
    replies = await asyncio.gather(*(pipe.run(incr, ["{t}:n"], [1]) for _ in range(50)))
    assert sorted(replies) == list(range(1, 51))  # each call ran once, atomically
    assert (pipe.pipelines, pipe.pipelined_calls) == (1, 50)


async def test_a_failing_script_fails_its_own_call_only(redis: Redis) -> None:
    pipe = ScriptPipe(redis)
    incr, fail = redis.register_script(INCR), redis.register_script(FAIL)
    results = await asyncio.gather(
        pipe.run(incr, ["{t}:m"], [2]),
        pipe.run(fail, ["{t}:m"], ["no"]),
        pipe.run(incr, ["{t}:m"], [3]),
        return_exceptions=True,
    )
    assert results[0] == 2 and results[2] == 5
    assert isinstance(results[1], ResponseError) and "refused: no" in str(results[1])


async def test_a_script_redis_lost_is_loaded_and_run_once(redis: Redis) -> None:
    pipe = ScriptPipe(redis)
    incr = redis.register_script(INCR)
    assert await pipe.run(incr, ["{t}:k"], [1]) == 1
    await redis.script_flush()  # as after a Redis restart
    replies = await asyncio.gather(*(pipe.run(incr, ["{t}:k"], [1]) for _ in range(3)))
    assert sorted(replies) == [2, 3, 4]
    assert await redis.get("{t}:k") == "4"


async def test_a_lone_call_is_a_plain_call(redis: Redis) -> None:
    pipe = ScriptPipe(redis)
    assert await pipe.run(redis.register_script(INCR), ["{t}:l"], [7]) == 7
    assert pipe.pipelines == 0
