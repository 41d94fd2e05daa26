"""HTTP errors of the server, and the one place that maps any exception to a status code.

Tree::

    ApiError (tornado HTTPError, so Tornado routes it to ``write_error``)
    ├── BadRequest            400  bad_request
    │   └── ServerKindMismatch 400 server_kind_mismatch
    ├── Unauthorized          401  unauthorized
    ├── Forbidden             403  forbidden        (a host's own auth refused the request, e.g. Jupyter's)
    ├── NotFound              404  not_found
    ├── MethodNotAllowed      405  method_not_allowed
    ├── PayloadTooLarge       413  payload_too_large
    └── InternalError         500  internal_error

Bodies are ``{"code": str, "error": str, "status": int}``; ``error`` is never null because the TS SDK's
schema rejects a null error (protocol doc section 3.2).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from tornado.web import HTTPError, RequestHandler

from inngest_lab.engine.model import Json
from inngest_lab.engine.operations import NotFoundError as OperationNotFound
from inngest_lab.engine.operations import OperationError
from inngest_lab.engine.registration import RegistrationError
from inngest_lab.protocol.events import EventTooLarge, EventValidationError


class ErrorCode(StrEnum):
    """Machine-readable ``code`` of an error body. Sent on the wire; never change a value."""

    BAD_REQUEST = "bad_request"
    SERVER_KIND_MISMATCH = "server_kind_mismatch"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    CONFLICT = "conflict"
    INTERNAL = "internal_error"
    UNAVAILABLE = "unavailable"


class ApiError(HTTPError):
    """An error with a public ``message``; safe to show to the caller."""

    status: ClassVar[int] = 500
    code: ClassVar[ErrorCode] = ErrorCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(self.status, reason=None)
        self.message = message

    def body(self) -> dict[str, Json]:
        return {"code": self.code.value, "error": self.message, "status": self.status}

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


class BadRequest(ApiError):
    status = 400
    code = ErrorCode.BAD_REQUEST


class ServerKindMismatch(BadRequest):
    code = ErrorCode.SERVER_KIND_MISMATCH


class Unauthorized(ApiError):
    status = 401
    code = ErrorCode.UNAUTHORIZED


class Forbidden(ApiError):
    status = 403
    code = ErrorCode.FORBIDDEN


class NotFound(ApiError):
    status = 404
    code = ErrorCode.NOT_FOUND


class MethodNotAllowed(ApiError):
    status = 405
    code = ErrorCode.METHOD_NOT_ALLOWED


class Conflict(ApiError):
    status = 409
    code = ErrorCode.CONFLICT


class PayloadTooLarge(ApiError):
    status = 413
    code = ErrorCode.PAYLOAD_TOO_LARGE


class InternalError(ApiError):
    status = 500
    code = ErrorCode.INTERNAL


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
}


def as_api_error(exc: BaseException | None) -> ApiError:
    """Map any exception to the ``ApiError`` to answer with. Unknown exceptions become a generic 500.

    Domain errors are mapped here and nowhere else, so every handler answers them the same way.
    """
    if isinstance(exc, ApiError):
        return exc
    mapped = _map_domain_error(exc)
    if mapped is not None:
        return mapped
    if isinstance(exc, HTTPError):
        cls = _BY_STATUS.get(exc.status_code)
        if cls is not None:
            return cls(exc.reason or cls.code.value.replace("_", " "))
        if exc.status_code < 500:
            return BadRequest(exc.reason or "bad request")
    return InternalError("internal error")


def _map_domain_error(exc: BaseException | None) -> ApiError | None:
    if isinstance(exc, EventTooLarge):
        return PayloadTooLarge(str(exc) or "event payload too large")
    if isinstance(exc, EventValidationError):
        return BadRequest(str(exc.args[0]) if exc.args else "invalid event")
    if isinstance(exc, RegistrationError):
        return BadRequest(invalid_request(str(exc)))
    if isinstance(exc, OperationError):
        return BadRequest(str(exc))
    if isinstance(exc, OperationNotFound):
        return NotFound(str(exc.args[0]) if exc.args else "not found")
    return None


def allowed_methods(handler: type[RequestHandler]) -> list[str]:
    """The HTTP methods ``handler`` implements, for the ``Allow`` header of a 405."""
    base = RequestHandler
    return [m for m in base.SUPPORTED_METHODS if getattr(handler, m.lower()) is not getattr(base, m.lower())]


def invalid_request(detail: str) -> str:
    """The ``Invalid request: …`` message Go's register handler uses for body errors."""
    return detail if detail.startswith("Invalid request") else f"Invalid request: {detail}"
