"""Registration: both SDK spellings parse into App + FunctionDefs; invalid configs get user-facing errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from inngest_lab.engine.model import CancelSpec, Trigger
from inngest_lab.engine.registration import RegistrationError, parse_register_body

URL = "http://127.0.0.1:8000/api/inngest"


def step(fn_id: str, retries: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": "step", "name": "step",
                             "runtime": {"type": "http", "url": f"{URL}?fnId={fn_id}&stepId=step"}}  # fmt: skip
    if retries is not None:
        entry["retries"] = {"attempts": retries}
    return {"step": entry}


# The Python 0.5.19 body captured in inngest-protocol.md §3.2.
PY_BODY: dict[str, Any] = {
    "appname": "my-app",
    "capabilities": {"connect": "v1", "in_band_sync": "v1", "trust_probe": "v1"},
    "deploy_type": "ping",
    "framework": "tornado",
    "sdk": "py:v0.5.19",
    "url": URL,
    "v": "0.1",
    "functions": [
        {"id": "my-app-child", "name": "child", "triggers": [{"event": "app/child"}], "steps": step("my-app-child")},
        {
            "id": "my-app-main",
            "name": "Main fn",
            "triggers": [{"event": "app/go", "expression": "event.data.ok == true"}, {"cron": "0 * * * *"}],
            "cancel": [{"event": "app/cancel", "if": "async.data.id == event.data.id", "timeout": "1h"}],
            "concurrency": [{"key": "event.data.user", "limit": 5}],
            "debounce": {"period": "5s"},
            "priority": {"run": "event.data.prio"},
            "rateLimit": {"limit": 10, "period": "1m"},
            "throttle": {"limit": 3, "period": "10s", "burst": 1},
            "timeouts": {"finish": "10m"},
            "steps": step("my-app-main", retries=2),
        },
        {
            "id": "my-app-main-failure",
            "name": "Main fn (failure)",
            "cancel": [],
            "concurrency": [],
            "triggers": [{"event": "inngest/function.failed", "expression": "event.data.function_id == 'my-app-main'"}],
            "steps": step("my-app-main-failure", retries=0),
        },
    ],
}


def body_with(**changes: Any) -> dict[str, Any]:
    """The Python body with one extra function built from ``changes``."""
    body = copy.deepcopy(PY_BODY)
    fn: dict[str, Any] = {"id": "my-app-x", "name": "x", "triggers": [{"event": "app/x"}], "steps": step("my-app-x")}
    fn.update(changes)
    body["functions"].append(fn)
    return body


def error_for(body: dict[str, Any]) -> RegistrationError:
    with pytest.raises(RegistrationError) as info:
        parse_register_body(body)
    return info.value


def test_python_body_parses_into_app_and_functions() -> None:
    reg = parse_register_body(PY_BODY)
    assert reg.app.app_id == "my-app"
    assert reg.app.url == URL
    assert reg.app.sdk == "py:v0.5.19"
    assert reg.app.framework == "tornado"
    assert reg.app.checksum == reg.checksum
    assert reg.deploy_type == "ping"
    assert reg.capabilities["in_band_sync"] == "v1"
    child, main, failure = reg.functions
    assert child.fn_id == "my-app-child"
    assert child.app_id == "my-app"
    assert child.url == f"{URL}?fnId=my-app-child&stepId=step"
    assert child.retries == 4
    assert child.max_attempts == 5
    assert main.triggers == (Trigger(event="app/go", expression="event.data.ok == true"), Trigger(cron="0 * * * *"))
    assert main.cancel == (
        CancelSpec(event="app/cancel", if_exp="async.data.id == event.data.id", timeout_ms=3_600_000),
    )
    assert main.retries == 2
    assert main.config["concurrency"] == [{"key": "event.data.user", "limit": 5, "scope": "fn"}]
    assert main.config["debounce"] == {"period": "5s"}
    assert failure.retries == 0
    assert failure.max_attempts == 1


def test_ts_spelling_is_accepted() -> None:
    body = copy.deepcopy(PY_BODY)
    body["appName"] = body.pop("appname")
    body["deployType"] = body.pop("deploy_type")
    body["functions"] = [{"id": "js-app-a", "name": "a", "triggers": [{"event": "a"}], "concurrency": 3,
                          "retries": 7, "steps": step("js-app-a")}]  # fmt: skip
    reg = parse_register_body(body)
    assert reg.app.app_id == "my-app"
    [fn] = reg.functions
    assert fn.retries == 7
    assert fn.config["concurrency"] == [{"limit": 3, "scope": "fn"}]


def test_concurrency_object_is_normalized_to_a_list() -> None:
    reg = parse_register_body(body_with(concurrency={"limit": 2, "key": "event.data.k", "scope": "env"}))
    assert reg.functions[-1].config["concurrency"] == [{"limit": 2, "key": "event.data.k", "scope": "env"}]


def test_raw_entry_is_kept_in_config_including_idempotency() -> None:
    reg = parse_register_body(body_with(idempotency="event.data.user_id", batchEvents=None))
    assert reg.functions[-1].config["idempotency"] == "event.data.user_id"
    assert reg.functions[-1].config["name"] == "x"


def test_missing_runtime_url_falls_back_to_the_app_url() -> None:
    reg = parse_register_body(body_with(steps={}))
    assert reg.functions[-1].url == f"{URL}?fnId=my-app-x&stepId=step"


def test_checksum_ignores_key_order_but_sees_changes() -> None:
    reordered = dict(reversed(list(copy.deepcopy(PY_BODY).items())))
    assert parse_register_body(reordered).checksum == parse_register_body(PY_BODY).checksum
    assert parse_register_body(body_with()).checksum != parse_register_body(PY_BODY).checksum


def test_empty_app_name_is_app_id_required() -> None:
    body = copy.deepcopy(PY_BODY)
    body["appname"] = ""
    assert error_for(body).message == "App ID required"


def test_function_without_id_is_rejected() -> None:
    body = copy.deepcopy(PY_BODY)
    del body["functions"][0]["id"]
    assert "has no ID" in error_for(body).message


def test_duplicate_function_ids_are_rejected() -> None:
    assert "Duplicate function ID" in error_for(body_with(id="my-app-child")).message


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"triggers": [{"event": "a", "expression": "event.data.x =="}]}, "trigger expression"),
        ({"cancel": [{"event": "c", "if": "async.x ==="}]}, "cancel.if"),
        ({"concurrency": [{"limit": 1, "key": "event.("}]}, "concurrency.key"),
        ({"idempotency": "event.data.)"}, "idempotency"),
        ({"priority": {"run": "event.data.("}}, "priority.run"),
        ({"rateLimit": {"limit": 1, "period": "1m", "key": "1 +"}}, "rateLimit.key"),
    ],
)
def test_invalid_expression_names_the_function_and_expression(changes: dict[str, Any], where: str) -> None:
    error = error_for(body_with(**changes))
    assert error.fn_id == "my-app-x"
    assert "'my-app-x'" in error.message
    assert where in error.message
    assert "invalid expression" in error.message


def test_bad_cron_is_rejected() -> None:
    error = error_for(body_with(triggers=[{"cron": "* * * * * *"}]))
    assert "expected 5" in error.message
    assert error.fn_id == "my-app-x"


def test_bad_cron_jitter_is_rejected() -> None:
    assert "between 1s and 5m" in error_for(body_with(triggers=[{"cron": "* * * * *", "jitter": "10m"}])).message


def test_cron_jitter_is_parsed() -> None:
    reg = parse_register_body(body_with(triggers=[{"cron": "* * * * *", "jitter": "30s"}]))
    assert reg.functions[-1].triggers == (Trigger(cron="* * * * *", jitter_ms=30_000),)


def test_bad_duration_is_rejected() -> None:
    error = error_for(body_with(debounce={"period": "5 minutes"}))
    assert "debounce.period" in error.message
    assert "'5 minutes'" in error.message


def test_more_than_ten_triggers_is_rejected() -> None:
    triggers = [{"event": f"app/{i}"} for i in range(11)]
    assert "at most 10" in error_for(body_with(triggers=triggers)).message


def test_duplicate_triggers_are_rejected() -> None:
    assert "duplicate trigger" in error_for(body_with(triggers=[{"event": "a"}, {"event": "a"}])).message
    crons = [{"cron": "0 * * * *"}, {"cron": "0 * * * *", "jitter": "5s"}]
    assert "duplicate trigger" in error_for(body_with(triggers=crons)).message


def test_same_event_with_different_filters_is_allowed() -> None:
    triggers = [{"event": "a", "expression": "event.data.x == 1"}, {"event": "a", "expression": "event.data.x == 2"}]
    assert len(parse_register_body(body_with(triggers=triggers)).functions[-1].triggers) == 2


def test_misplaced_wildcard_is_rejected() -> None:
    assert "wildcard" in error_for(body_with(triggers=[{"event": "app*"}])).message
    assert "wildcard" in error_for(body_with(triggers=[{"event": "app/*/x"}])).message


def test_trigger_needs_exactly_one_of_event_or_cron() -> None:
    assert "exactly one" in error_for(body_with(triggers=[{"event": "a", "cron": "* * * * *"}])).message
    assert "exactly one" in error_for(body_with(triggers=[{}])).message


def test_retries_above_twenty_are_rejected() -> None:
    error = error_for(body_with(steps=step("my-app-x", retries=21)))
    assert "maximum of 20" in error.message


def test_negative_retries_are_rejected() -> None:
    assert "retries" in error_for(body_with(retries=-1)).message


@pytest.mark.parametrize(
    "clash",
    [
        {"cancel": [{"event": "c"}]},
        {"debounce": {"period": "5s"}},
        {"singleton": {"mode": "skip"}},
        {"priority": {"run": "1"}},
    ],
)
def test_batching_cannot_be_combined_with_per_event_options(clash: dict[str, Any]) -> None:
    error = error_for(body_with(batchEvents={"maxSize": 10, "timeout": "5s"}, **clash))
    assert "batchEvents cannot be combined with" in error.message
    assert next(iter(clash)) in error.message


def test_batching_alone_is_fine() -> None:
    reg = parse_register_body(body_with(batchEvents={"maxSize": 10, "timeout": "5s", "key": "event.data.k"}))
    assert reg.functions[-1].config["batchEvents"]["maxSize"] == 10


def test_concurrency_scope_env_needs_a_key() -> None:
    assert "needs a key" in error_for(body_with(concurrency=[{"limit": 1, "scope": "env"}])).message


def test_more_than_two_concurrency_limits_is_rejected() -> None:
    limits = [{"limit": 1}, {"limit": 2, "key": "event.a"}, {"limit": 3, "key": "event.b"}]
    assert "at most 2" in error_for(body_with(concurrency=limits)).message


def test_singleton_mode_is_checked() -> None:
    assert "singleton.mode" in error_for(body_with(singleton={"mode": "queue"})).message


def test_more_than_five_cancel_rules_is_rejected() -> None:
    assert "at most 5" in error_for(body_with(cancel=[{"event": f"c{i}"} for i in range(6)])).message
