"""JSON log lines written while a run's work is processed carry ``run_id``, ``fn_id`` and the run's trace id
(the text format appends them); lines outside any run carry none."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

import inngest_lab as inngest
from inngest_lab.observability.context import trace_id_hex
from inngest_lab.observability.logs import TRACE, LogFormat, make_handler, parse_level


@pytest.mark.parametrize("fmt", list(LogFormat))
async def test_lines_logged_during_a_run_carry_its_ids(tmp_path: Path, fmt: LogFormat) -> None:
    stream = io.StringIO()
    app_log = logging.getLogger("shop.payments")
    handler = make_handler(fmt, stream)
    app_log.addHandler(handler)
    app_log.setLevel(logging.INFO)
    lab = inngest.Lab(tmp_path / "lab.db", fake_clock=True)
    client = inngest.Inngest(app_id="shop", is_production=False)

    @client.create_function(fn_id="charge", trigger=inngest.TriggerEvent(event="shop/charge"))
    async def charge(ctx: inngest.Context) -> None:
        app_log.info("charging %s", ctx.event.data["who"])

    try:
        await lab.start()
        lab.serve(client, [charge])
        app_log.info("before any run")
        [event_id] = lab.send({"name": "shop/charge", "data": {"who": "ada"}})
        [run] = await lab.wait(event_id)
    finally:
        await lab.close()
        app_log.removeHandler(handler)

    before, during = [line for line in stream.getvalue().splitlines() if line][:2]
    if fmt is LogFormat.JSON:
        outside, inside = json.loads(before), json.loads(during)
        assert outside["msg"] == "before any run" and "run_id" not in outside
        assert inside["msg"] == "charging ada" and inside["level"] == "info" and inside["logger"] == "shop.payments"
        assert (inside["run_id"], inside["fn_id"], inside["trace_id"]) == (
            run.run_id,
            "shop-charge",
            trace_id_hex(run.run_id),
        )
    else:
        assert "run=" not in before
        assert during.endswith(f"charging ada [run={run.run_id} fn=shop-charge trace={trace_id_hex(run.run_id)}]")


def test_levels_are_inngests_names() -> None:
    assert [parse_level(n) for n in ("trace", "debug", "info", "warn", "error", "WARNING")] == [
        TRACE,
        logging.DEBUG,
        logging.INFO,
        logging.WARNING,
        logging.ERROR,
        logging.WARNING,
    ]
    with pytest.raises(ValueError, match="one of trace, debug, info, warn, error"):
        parse_level("loud")
