"""SDK errors and control-flow interrupts.

Error tree (every error carries a wire ``code`` and ``is_retriable``)::

    Exception
     └── InngestLabError                  code=unknown, retriable
          ├── CodedError                  any code, given at construction (e.g. step_nested)
          ├── NonRetriableError           non_retriable_error, NOT retriable
          ├── RetryAfterError             retry_after_error, retriable at a given time
          ├── StepError                   step_errored, NOT retriable (raised at a memoized {"error": ...})
          ├── StepUnexpectedError         step_unexpected (targeted request met another new step)
          ├── FunctionNotFoundError       function_not_found
          ├── FunctionConfigInvalidError  function_config_invalid
          ├── OutputUnserializableError   output_unserializable, NOT retriable
          ├── SendEventsError             send_event_failed (carries the ids that were accepted)
          ├── EventKeyUnspecifiedError    event_key_unspecified
          ├── SigningKeyMissingError      signing_key_unspecified
          ├── SigVerificationFailedError  sig_verification_failed
          ├── QueryParamMissingError      query_param_missing
          ├── BodyInvalidError            unknown (as inngest-py's validation errors)
          └── RegistrationFailedError     registration_failed

    BaseException                         control flow: never an error, never caught by ``except Exception``
     ├── StepInterrupt                    stop the run and report these ops (206)
     ├── SkipInterrupt                    a targeted request met a step that is not its target
     └── NestedStepInterrupt              a step was called inside ``step.run``
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Wire error codes (inngest-py ``server_lib/consts.py`` ``ErrorCode``). Never change a value."""

    BODY_INVALID = "body_invalid"
    EVENT_KEY_UNSPECIFIED = "event_key_unspecified"
    FUNCTION_CONFIG_INVALID = "function_config_invalid"
    FUNCTION_NOT_FOUND = "function_not_found"
    HEADER_MISSING = "header_missing"
    NON_RETRIABLE_ERROR = "non_retriable_error"
    OUTPUT_UNSERIALIZABLE = "output_unserializable"
    QUERY_PARAM_MISSING = "query_param_missing"
    REGISTRATION_FAILED = "registration_failed"
    RETRY_AFTER_ERROR = "retry_after_error"
    SEND_EVENT_FAILED = "send_event_failed"
    SERVER_KIND_MISMATCH = "server_kind_mismatch"
    SIGNING_KEY_UNSPECIFIED = "signing_key_unspecified"
    SIG_VERIFICATION_FAILED = "sig_verification_failed"
    STEP_ERRORED = "step_errored"
    STEP_NESTED = "step_nested"
    STEP_UNEXPECTED = "step_unexpected"
    UNKNOWN = "unknown"
    URL_INVALID = "url_invalid"


def format_traceback(err: BaseException) -> str:
    return "".join(traceback.format_exception(type(err), err, err.__traceback__))


class InngestLabError(Exception):
    """Base of all SDK errors: carries a wire ``code`` and whether the server may retry."""

    code: ErrorCode = ErrorCode.UNKNOWN
    is_retriable: bool = True
    include_stack: bool = True

    @property
    def message(self) -> str:
        return str(self)

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    def stack(self) -> str | None:
        return format_traceback(self) if self.include_stack else None


class CodedError(InngestLabError):
    """An error whose code is chosen where it is raised."""

    def __init__(self, code: ErrorCode, message: str, *, is_retriable: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.is_retriable = is_retriable


class NonRetriableError(InngestLabError):
    """Raise in user code to fail the run without retries."""

    code = ErrorCode.NON_RETRIABLE_ERROR
    is_retriable = False

    def __init__(self, message: str | None = None, quiet: bool = False) -> None:
        super().__init__(message)
        self.quiet = quiet


class RetryAfterError(InngestLabError):
    """Raise in user code to be retried no earlier than ``retry_after`` (ms from now, timedelta or datetime)."""

    code = ErrorCode.RETRY_AFTER_ERROR

    def __init__(self, message: str | None, retry_after: int | timedelta | datetime, quiet: bool = False) -> None:
        super().__init__(message)
        if isinstance(retry_after, int):
            retry_after = timedelta(milliseconds=retry_after)
        # A relative delay is kept so the serving handler can count it from its own clock (a Lab's fake clock).
        self.delay_ms: int | None = None
        if isinstance(retry_after, timedelta):
            self.delay_ms = int(retry_after.total_seconds() * 1000)
            retry_after = datetime.now(UTC) + retry_after
        self.retry_after: datetime = retry_after
        self.quiet = quiet


class StepError(InngestLabError):
    """A step failed for good; raised in user code where its memoized ``{"error": ...}`` is replayed."""

    code = ErrorCode.STEP_ERRORED
    is_retriable = False

    def __init__(self, message: str, name: str, stack: str | None) -> None:
        super().__init__(message)
        self._message, self._name, self._stack = message, name, stack

    @property
    def message(self) -> str:
        return self._message

    @property
    def name(self) -> str:
        return self._name

    @property
    def stack(self) -> str | None:
        return self._stack


class StepUnexpectedError(InngestLabError):
    code = ErrorCode.STEP_UNEXPECTED
    include_stack = False


class FunctionNotFoundError(InngestLabError):
    code = ErrorCode.FUNCTION_NOT_FOUND


class FunctionConfigInvalidError(InngestLabError):
    code = ErrorCode.FUNCTION_CONFIG_INVALID


class OutputUnserializableError(InngestLabError):
    code = ErrorCode.OUTPUT_UNSERIALIZABLE
    is_retriable = False


class SendEventsError(InngestLabError):
    code = ErrorCode.SEND_EVENT_FAILED

    def __init__(self, message: str, ids: list[str]) -> None:
        super().__init__(message)
        self.ids = ids


class EventKeyUnspecifiedError(InngestLabError):
    code = ErrorCode.EVENT_KEY_UNSPECIFIED


class SigningKeyMissingError(InngestLabError):
    code = ErrorCode.SIGNING_KEY_UNSPECIFIED


class SigVerificationFailedError(InngestLabError):
    code = ErrorCode.SIG_VERIFICATION_FAILED


class QueryParamMissingError(InngestLabError):
    code = ErrorCode.QUERY_PARAM_MISSING


class BodyInvalidError(InngestLabError):
    """The call request failed validation. Reported as ``unknown``/``ValidationError`` like inngest-py."""

    @property
    def name(self) -> str:
        return "ValidationError"


class RegistrationFailedError(InngestLabError):
    code = ErrorCode.REGISTRATION_FAILED


def is_retriable(err: BaseException) -> bool:
    return err.is_retriable if isinstance(err, InngestLabError) else True


def error_data(err: BaseException) -> dict[str, Any]:
    """The ``{code, message, name, stack}`` object the SDK reports for ``err`` (op ``error`` and 500 bodies)."""
    if isinstance(err, InngestLabError):
        return {"code": err.code.value, "message": err.message, "name": err.name, "stack": err.stack}
    return {
        "code": ErrorCode.UNKNOWN.value,
        "message": str(err),
        "name": type(err).__name__,
        "stack": format_traceback(err),
    }


class StepInterrupt(BaseException):
    """Stop the run here and answer 206 with ``ops`` (wire op dicts, in order)."""

    def __init__(self, ops: list[dict[str, Any]], *, no_retry: bool = False) -> None:
        super().__init__()
        self.ops = ops
        self.no_retry = no_retry


class SkipInterrupt(BaseException):
    """A targeted request met a new step that is not its target."""

    def __init__(self, step_id: str) -> None:
        super().__init__(step_id)
        self.step_id = step_id


class NestedStepInterrupt(BaseException):
    """A step method was called while a ``step.run`` handler was running."""
