"""Parse and validate a ``POST /fn/register`` body (protocol §3.2) into an App and its FunctionDefs.

Both SDK spellings are accepted: Python sends ``appname``/``deploy_type``, TS ``appName``/``deployType``; top-level
keys are matched case-insensitively and without underscores, as Go's JSON decoding effectively does.

Every problem raises :class:`RegistrationError` with a message meant for the person who wrote the function:
it names the function and, for expressions and durations, the option and the offending value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from inngest_lab.engine.cron import CronError, parse_cron, parse_jitter_ms
from inngest_lab.engine.expressions import ExpressionError, compile_expression
from inngest_lab.engine.flow.config import FlowConfigError, parse_flow_config
from inngest_lab.engine.model import App, CancelSpec, FunctionDef, Json, Trigger
from inngest_lab.engine.triggers import is_wildcard
from inngest_lab.protocol.consts import DEFAULT_RETRIES, DISCOVERY_STEP_ID, MAX_RETRIES
from inngest_lab.protocol.durations import DurationError, parse_duration_ms

MAX_TRIGGERS = 10
MAX_CANCELS = 5
MAX_CONCURRENCY_LIMITS = 2
MAX_TRIGGER_EVENT_LENGTH = 255
CONCURRENCY_SCOPES = ("fn", "env", "account")
SINGLETON_MODES = ("skip", "cancel")

# (option, field) pairs holding CEL expressions, and those holding durations, checked on every function.
_EXPRESSION_FIELDS = (
    ("batchEvents", "key"), ("batchEvents", "if"), ("rateLimit", "key"), ("throttle", "key"),
    ("debounce", "key"), ("priority", "run"), ("singleton", "key"),
)  # fmt: skip
_DURATION_FIELDS = (
    ("batchEvents", "timeout"), ("rateLimit", "period"), ("throttle", "period"), ("debounce", "period"),
    ("debounce", "timeout"), ("timeouts", "start"), ("timeouts", "finish"),
    ("checkpoint", "batch_interval"), ("checkpoint", "max_runtime"),
)  # fmt: skip
# Batching collects many events into one run, so options that act on one run per event cannot apply.
_NOT_WITH_BATCHING = ("cancel", "debounce", "singleton", "priority")


class RegistrationError(ValueError):
    """The register body is invalid. ``fn_id`` names the offending function when there is one."""

    def __init__(self, message: str, fn_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fn_id = fn_id


@dataclass(frozen=True, slots=True)
class Registration:
    """A parsed sync. ``checksum`` is a sha256 of the canonical body: equal checksums mean "not modified"."""

    app: App
    functions: tuple[FunctionDef, ...]
    checksum: str
    deploy_type: str = "ping"
    app_version: str | None = None
    capabilities: Mapping[str, Json] = field(default_factory=dict)


def body_checksum(body: Mapping[str, Json]) -> str:
    """sha256 hex of the body serialized with sorted keys and no whitespace (key order does not count)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _top_level(body: Mapping[str, Json]) -> dict[str, Json]:
    return {str(k).lower().replace("_", ""): v for k, v in body.items()}


def parse_register_body(body: Mapping[str, Json]) -> Registration:
    """Validate ``body`` and build the App plus its functions. Raises :class:`RegistrationError`."""
    if not isinstance(body, Mapping):
        raise RegistrationError("Invalid request: the body must be a JSON object")
    top = _top_level(body)
    app_id = top.get("appname")
    if not isinstance(app_id, str) or not app_id.strip():
        raise RegistrationError("App ID required")
    url = top.get("url")
    if not isinstance(url, str) or not url:
        raise RegistrationError("Invalid request: the app url is required")
    raw_functions = top.get("functions") or []
    if not isinstance(raw_functions, list):
        raise RegistrationError("Invalid request: functions must be a list")

    functions: list[FunctionDef] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_functions):
        fn = _parse_function(raw, index, app_id, url)
        if fn.fn_id in seen:
            raise RegistrationError(f"Duplicate function ID {fn.fn_id!r}", fn.fn_id)
        seen.add(fn.fn_id)
        functions.append(fn)

    checksum = body_checksum(body)
    app = App(
        app_id=app_id,
        url=url,
        sdk=_str(top.get("sdk")),
        framework=_str(top.get("framework")),
        checksum=checksum,
    )
    capabilities = top.get("capabilities")
    version = top.get("appversion")
    return Registration(
        app=app,
        functions=tuple(functions),
        checksum=checksum,
        deploy_type=_str(top.get("deploytype")) or "ping",
        app_version=version if isinstance(version, str) else None,
        capabilities=dict(capabilities) if isinstance(capabilities, Mapping) else {},
    )


def _str(value: Json) -> str:
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------- one function


class _Fn:
    """Validation helpers bound to one function, so every message names it."""

    def __init__(self, fn_id: str) -> None:
        self.fn_id = fn_id

    def fail(self, message: str) -> RegistrationError:
        return RegistrationError(f"Function {self.fn_id!r}: {message}", self.fn_id)

    def expression(self, where: str, src: Json) -> str | None:
        if src is None or src == "":
            return None
        if not isinstance(src, str):
            raise self.fail(f"{where} must be a CEL expression string, got {src!r}")
        try:
            compile_expression(src)
        except ExpressionError as exc:
            raise self.fail(f"invalid expression in {where} {src!r}: {exc.message}") from None
        return src

    def duration(self, where: str, value: Json) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value  # some SDK paths send plain milliseconds
        if not isinstance(value, str):
            raise self.fail(f"{where} must be a duration string such as '30s', got {value!r}")
        try:
            return parse_duration_ms(value)
        except DurationError:
            raise self.fail(f"invalid duration in {where}: {value!r} (use e.g. '30s', '5m', '2h', '1d')") from None

    def mapping(self, raw: Mapping[str, Json], key: str) -> Mapping[str, Json] | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(f"{key} must be an object")
        return value


def _parse_function(raw: Json, index: int, app_id: str, app_url: str) -> FunctionDef:
    if not isinstance(raw, Mapping):
        raise RegistrationError(f"Function at index {index} must be an object")
    fn_id = raw.get("id")
    if not isinstance(fn_id, str) or not fn_id.strip():
        raise RegistrationError(f"Function at index {index} ({raw.get('name')!r}) has no ID")
    fn = _Fn(fn_id)
    name = raw.get("name")

    triggers = _parse_triggers(fn, raw.get("triggers"))
    cancel = _parse_cancel(fn, raw.get("cancel"))
    concurrency = _parse_concurrency(fn, raw.get("concurrency"))
    for option, key in _EXPRESSION_FIELDS:
        section = fn.mapping(raw, option)
        if section is not None:
            fn.expression(f"{option}.{key}", section.get(key))
    for option, key in _DURATION_FIELDS:
        section = fn.mapping(raw, option)
        if section is not None:
            fn.duration(f"{option}.{key}", section.get(key))
    fn.expression("idempotency", raw.get("idempotency"))
    _check_flow_control(fn, raw)

    config = dict(raw)
    if concurrency is not None:
        config["concurrency"] = concurrency
    return FunctionDef(
        fn_id=fn_id,
        app_id=app_id,
        name=name if isinstance(name, str) and name else fn_id,
        url=_runtime_url(raw, fn_id, app_url),
        triggers=triggers,
        retries=_parse_retries(fn, raw),
        cancel=cancel,
        config=config,
    )


def _step(raw: Mapping[str, Json]) -> Mapping[str, Json]:
    steps = raw.get("steps")
    step = steps.get(DISCOVERY_STEP_ID) if isinstance(steps, Mapping) else None
    if step is None and isinstance(steps, Mapping) and steps:
        step = next(iter(steps.values()))  # older SDKs name the single step differently
    return step if isinstance(step, Mapping) else {}


def _runtime_url(raw: Mapping[str, Json], fn_id: str, app_url: str) -> str:
    runtime = _step(raw).get("runtime")
    url = runtime.get("url") if isinstance(runtime, Mapping) else None
    if isinstance(url, str) and url:
        return url
    sep = "&" if "?" in app_url else "?"
    return f"{app_url}{sep}fnId={fn_id}&stepId={DISCOVERY_STEP_ID}"


def _parse_retries(fn: _Fn, raw: Mapping[str, Json]) -> int:
    step_retries = _step(raw).get("retries")
    value: Json = step_retries.get("attempts") if isinstance(step_retries, Mapping) else None
    if value is None:
        value = raw.get("retries")  # TS may send a function-level int (or {attempts})
        if isinstance(value, Mapping):
            value = value.get("attempts")
    if value is None:
        return DEFAULT_RETRIES
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise fn.fail(f"retries must be a whole number from 0 to {MAX_RETRIES}, got {value!r}")
    if value > MAX_RETRIES:
        raise fn.fail(f"retries is {value}, more than the maximum of {MAX_RETRIES}")
    return value


def _parse_triggers(fn: _Fn, raw: Json) -> tuple[Trigger, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fn.fail("triggers must be a list")
    if len(raw) > MAX_TRIGGERS:
        raise fn.fail(f"has {len(raw)} triggers; at most {MAX_TRIGGERS} are allowed")
    out: list[Trigger] = []
    for position, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise fn.fail(f"trigger {position} must be an object")
        event, cron = item.get("event"), item.get("cron")
        if (event is None) == (cron is None):
            raise fn.fail(f"trigger {position} must have exactly one of 'event' or 'cron'")
        if event is not None:
            expression = fn.expression("trigger expression", item.get("expression"))
            trigger = Trigger(event=_trigger_event(fn, event), expression=expression)
        else:
            trigger = _cron_trigger(fn, cron, item.get("jitter"))
        duplicate = trigger.cron is not None and any(t.cron == trigger.cron for t in out)
        if duplicate or trigger in out:
            raise fn.fail(f"duplicate trigger {dict(item)!r}")
        out.append(trigger)
    return tuple(out)


def _trigger_event(fn: _Fn, event: Json) -> str:
    if not isinstance(event, str) or not event.strip():
        raise fn.fail("a trigger's event name must be a non-empty string")
    if len(event) > MAX_TRIGGER_EVENT_LENGTH:
        raise fn.fail(f"trigger event name is longer than {MAX_TRIGGER_EVENT_LENGTH} characters")
    if "*" in event and not (is_wildcard(event) and "*" not in event[:-1]):
        raise fn.fail(f"trigger event {event!r}: a wildcard '*' may only end the name, right after '/' or '.'")
    return event


def _cron_trigger(fn: _Fn, cron: Json, jitter: Json) -> Trigger:
    if not isinstance(cron, str):
        raise fn.fail("a trigger's cron must be a string")
    try:
        parse_cron(cron)
        jitter_ms = None if jitter is None or jitter == "" else parse_jitter_ms(str(jitter))
    except CronError as exc:
        raise fn.fail(str(exc)) from None
    return Trigger(cron=cron, jitter_ms=jitter_ms)


def _parse_cancel(fn: _Fn, raw: Json) -> tuple[CancelSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fn.fail("cancel must be a list")
    if len(raw) > MAX_CANCELS:
        raise fn.fail(f"has {len(raw)} cancellation rules; at most {MAX_CANCELS} are allowed")
    out: list[CancelSpec] = []
    for position, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise fn.fail(f"cancel rule {position} must be an object")
        event = item.get("event")
        if not isinstance(event, str) or not event:
            raise fn.fail(f"cancel rule {position} needs an event name")
        out.append(
            CancelSpec(
                event=event,
                if_exp=fn.expression("cancel.if", item.get("if")),
                timeout_ms=fn.duration("cancel.timeout", item.get("timeout")),
            )
        )
    return tuple(out)


def _parse_concurrency(fn: _Fn, raw: Json) -> list[dict[str, Json]] | None:
    """Normalize ``5`` / ``{limit,key,scope}`` / ``[…]`` / ``{step:[…]}`` to a list of ``{limit, key?, scope}``."""
    if raw is None:
        return None
    if isinstance(raw, Mapping) and "limit" not in raw and ("step" in raw or "fn" in raw):
        raw = raw.get("step") or []  # the newer split form; run-level "fn" limits are not enforced yet
    items = [raw] if isinstance(raw, int | Mapping) and not isinstance(raw, bool) else raw
    if not isinstance(items, list):
        raise fn.fail("concurrency must be a number, an object or a list of objects")
    if len(items) > MAX_CONCURRENCY_LIMITS:
        raise fn.fail(f"has {len(items)} concurrency limits; at most {MAX_CONCURRENCY_LIMITS} are allowed")
    out: list[dict[str, Json]] = []
    for item in items:
        entry: dict[str, Json] = {"limit": item} if isinstance(item, int) and not isinstance(item, bool) else {}
        if isinstance(item, Mapping):
            entry = dict(item)
        if not entry:
            raise fn.fail(f"invalid concurrency entry {item!r}")
        limit = entry.get("limit")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise fn.fail(f"concurrency limit must be a whole number ≥ 0, got {limit!r}")
        scope = entry.get("scope") or "fn"
        if scope not in CONCURRENCY_SCOPES:
            raise fn.fail(f"concurrency scope must be one of {', '.join(CONCURRENCY_SCOPES)}, got {scope!r}")
        key = fn.expression("concurrency.key", entry.get("key"))
        if scope != "fn" and key is None:
            raise fn.fail(f"a concurrency limit with scope {scope!r} needs a key")
        entry["scope"] = scope
        out.append(entry)
    return out


def _check_flow_control(fn: _Fn, raw: Mapping[str, Json]) -> None:
    batching = fn.mapping(raw, "batchEvents")
    if batching is not None:
        size = batching.get("maxSize")
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise fn.fail(f"batchEvents.maxSize must be a positive whole number, got {size!r}")
        clashing = [name for name in _NOT_WITH_BATCHING if raw.get(name)]
        if clashing:
            raise fn.fail(
                f"batchEvents cannot be combined with {', '.join(clashing)}: a batched run starts from many "
                "events, so per-event cancellation, debounce, singleton and priority have no single event to use"
            )
    singleton = fn.mapping(raw, "singleton")
    if singleton is not None and singleton.get("mode", "skip") not in SINGLETON_MODES:
        raise fn.fail(f"singleton.mode must be 'skip' or 'cancel', got {singleton.get('mode')!r}")
    for option in ("rateLimit", "throttle"):
        section = fn.mapping(raw, option)
        if section is not None:
            limit = section.get("limit")
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
                raise fn.fail(f"{option}.limit must be a whole number, got {limit!r}")
            if not section.get("period"):
                raise fn.fail(f"{option}.period is required")
    try:
        parse_flow_config(raw)  # units and limits of the admission options (engine.flow.config)
    except FlowConfigError as exc:
        raise fn.fail(str(exc)) from None
