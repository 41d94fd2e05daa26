"""Wire strings: opcodes, headers, internal event names, statuses.

Values are persisted and sent on the wire; never change or reuse one.
"""

from __future__ import annotations

from enum import StrEnum


class Opcode(StrEnum):
    """Opcodes in a 206 body (inngest/inngest ``pkg/enums/opcode.go``)."""

    NONE = "None"
    STEP = "Step"
    STEP_RUN = "StepRun"
    STEP_ERROR = "StepError"
    STEP_PLANNED = "StepPlanned"
    SLEEP = "Sleep"
    WAIT_FOR_EVENT = "WaitForEvent"
    INVOKE_FUNCTION = "InvokeFunction"
    AI_GATEWAY = "AIGateway"
    GATEWAY = "Gateway"
    WAIT_FOR_SIGNAL = "WaitForSignal"
    RUN_COMPLETE = "RunComplete"
    STEP_FAILED = "StepFailed"
    SYNC_RUN_COMPLETE = "SyncRunComplete"
    DISCOVERY_REQUEST = "DiscoveryRequest"
    DEFER_ADD = "DeferAdd"
    DEFER_ABORT = "DeferAbort"
    STEP_NOT_FOUND = "StepNotFound"


class Header(StrEnum):
    """HTTP header names as the SDKs spell them (lookups are case-insensitive)."""

    SIGNATURE = "X-Inngest-Signature"
    SDK = "X-Inngest-SDK"
    REQ_VERSION = "X-Inngest-Req-Version"
    NO_RETRY = "X-Inngest-No-Retry"
    RETRY_AFTER = "Retry-After"
    SERVER_KIND = "X-Inngest-Server-Kind"
    EXPECTED_SERVER_KIND = "X-Inngest-Expected-Server-Kind"
    SYNC_KIND = "X-Inngest-Sync-Kind"
    FRAMEWORK = "X-Inngest-Framework"
    SDK_HANDLED = "X-Inngest-Sdk-Handled"
    EVENT_ID_SEED = "X-Inngest-Event-Id-Seed"
    ENV = "X-Inngest-Env"
    RUN_ID = "X-Run-ID"
    REQUEST_ID = "X-Request-ID"
    JOB_ID = "X-Inngest-Job-ID"
    STEP_ID = "X-Inngest-Step-ID"
    AUTHORIZATION = "Authorization"
    CONTENT_TYPE = "Content-Type"
    SERVER_TIMING = "Server-Timing"


class ServerKind(StrEnum):
    DEV = "dev"
    CLOUD = "cloud"


class SyncKind(StrEnum):
    IN_BAND = "in_band"
    OUT_OF_BAND = "out_of_band"


class InternalEvent(StrEnum):
    """Event names only the server may create (``pkg/consts/events.go``)."""

    FUNCTION_FAILED = "inngest/function.failed"
    FUNCTION_FINISHED = "inngest/function.finished"
    FUNCTION_CANCELLED = "inngest/function.cancelled"
    FUNCTION_INVOKED = "inngest/function.invoked"
    SCHEDULED_TIMER = "inngest/scheduled.timer"


RESERVED_EVENT_PREFIX = "inngest/"
INTERNAL_DATA_KEY = "_inngest"
DISCOVERY_STEP_ID = "step"
NO_EVENT_KEY = "NO_EVENT_KEY_SET"


class RunStatus(StrEnum):
    """Run statuses, as Inngest names them. Persisted; never reuse a value."""

    QUEUED = "Queued"
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELLED = "Cancelled"
    SKIPPED = "Skipped"

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.SKIPPED})


class SkipReason(StrEnum):
    """Why a run was recorded as Skipped instead of starting. Persisted; never reuse a value.

    ``FunctionPaused`` and ``Singleton`` are Inngest's ``enums.SkipReason`` names; the others are ours.
    """

    FUNCTION_PAUSED = "FunctionPaused"
    SINGLETON = "Singleton"
    RATE_LIMITED = "RateLimited"
    IDEMPOTENCY = "Idempotency"


class ErrorName(StrEnum):
    """Error names the server itself produces (run output / memo ``name``)."""

    INVOKE_TIMEOUT = "InngestInvokeTimeoutError"
    STEP_LIMIT = "InngestErrStepLimit"
    STATE_OVERFLOW = "InngestErrStateOverflowed"
    OUTPUT_TOO_LARGE = "InngestErrStepOutputTooLarge"
    FUNCTION_NOT_FOUND = "FunctionNotFoundError"
    CANCELLED = "FunctionCancelledError"
    SDK_UNREACHABLE = "SDKUnreachableError"
    SDK_RESPONSE = "SDKResponseError"
    TIMEOUT = "InngestFunctionTimeoutError"
    FUNCTION_SKIPPED = "FunctionSkippedError"  # an invoked function was skipped (rate limit, singleton, paused…)
    AI_GATEWAY = "AIGatewayError"  # the AIGateway op's inference call failed (transport error or status > 299)
    GATEWAY = "GatewayError"  # the Gateway op's (step.fetch) request got no HTTP response
    SIGNAL_CONFLICT = "Error"  # a WaitForSignal with conflict "fail" found the signal taken (Go names it so)


INVOKE_TIMEOUT_MESSAGE = "Timed out waiting for invoked function to complete"
SIGNAL_CONFLICT_MESSAGE = "Signal conflict; signal wait already exists for another run"
AI_GATEWAY_MESSAGE = "Error making AI request"
GATEWAY_MESSAGE = "Error making gateway request"


class SignalConflict(StrEnum):
    """``opts.conflict`` of a ``WaitForSignal`` op; Go treats every other value as ``fail``."""

    REPLACE = "replace"
    FAIL = "fail"


class AIFormat(StrEnum):
    """``opts.format`` of an ``AIGateway`` op: how the auth key is attached (Go ``aigateway/request.go``)."""

    OPENAI_CHAT = "openai-chat"
    ANTHROPIC = "anthropic"
    GEMINI = "gemini"
    BEDROCK = "bedrock"


# Limits (inngest/inngest pkg/consts/consts.go)
MAX_STEPS_PER_RUN = 1000
MAX_STEP_OUTPUT_BYTES = 4 * 1024 * 1024
MAX_RUN_STATE_BYTES = 32 * 1024 * 1024
MAX_EVENT_BYTES = 512 * 1024
MAX_EVENT_REQUEST_BYTES = 3 * 1024 * 1024
MAX_RETRIES = 20
DEFAULT_RETRIES = 4
MAX_SLEEP_MS = 366 * 24 * 3600 * 1000
ONE_YEAR_MS = 365 * 24 * 3600 * 1000
