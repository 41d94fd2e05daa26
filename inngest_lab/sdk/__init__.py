"""What app code imports: the client, function configuration, the step API and the serve handler.

Names mirror inngest-py 0.5.19 so ``import inngest_lab as inngest`` runs typical inngest-py code unchanged.
Each name is imported on first use (``inngest_lab.lazy``): creating a client does not load the Tornado
adapter or the expression engine.
"""

from typing import TYPE_CHECKING

from inngest_lab.lazy import exports

if TYPE_CHECKING:
    from inngest_lab.sdk import tornado
    from inngest_lab.sdk.client import Inngest
    from inngest_lab.sdk.comm import CommHandler, CommRequest, CommResponse
    from inngest_lab.sdk.config import (
        Batch,
        Cancel,
        Concurrency,
        Debounce,
        Event,
        ParallelMode,
        Priority,
        RateLimit,
        Singleton,
        Throttle,
        Timeouts,
        TriggerCron,
        TriggerEvent,
    )
    from inngest_lab.sdk.errors import (
        InngestLabError,
        NonRetriableError,
        RetryAfterError,
        SendEventsError,
        StepError,
    )
    from inngest_lab.sdk.function import Function
    from inngest_lab.sdk.step import Context, ContextSync, Group, GroupSync, Step, StepSync
    from inngest_lab.sdk.transport import EventTransport, HttpEventTransport

_WHERE = {
    "tornado": "inngest_lab.sdk.tornado",
    "Inngest": "inngest_lab.sdk.client",
    **dict.fromkeys(["CommHandler", "CommRequest", "CommResponse"], "inngest_lab.sdk.comm"),
    **dict.fromkeys(
        [
            "Batch",
            "Cancel",
            "Concurrency",
            "Debounce",
            "Event",
            "ParallelMode",
            "Priority",
            "RateLimit",
            "Singleton",
            "Throttle",
            "Timeouts",
            "TriggerCron",
            "TriggerEvent",
        ],
        "inngest_lab.sdk.config",
    ),
    **dict.fromkeys(
        ["InngestLabError", "NonRetriableError", "RetryAfterError", "SendEventsError", "StepError"],
        "inngest_lab.sdk.errors",
    ),
    "Function": "inngest_lab.sdk.function",
    **dict.fromkeys(["Context", "ContextSync", "Group", "GroupSync", "Step", "StepSync"], "inngest_lab.sdk.step"),
    **dict.fromkeys(["EventTransport", "HttpEventTransport"], "inngest_lab.sdk.transport"),
}

__all__ = [
    "Batch",
    "Cancel",
    "CommHandler",
    "CommRequest",
    "CommResponse",
    "Concurrency",
    "Context",
    "ContextSync",
    "Debounce",
    "Event",
    "EventTransport",
    "Function",
    "Group",
    "GroupSync",
    "HttpEventTransport",
    "Inngest",
    "InngestLabError",
    "NonRetriableError",
    "ParallelMode",
    "Priority",
    "RateLimit",
    "RetryAfterError",
    "SendEventsError",
    "Singleton",
    "Step",
    "StepError",
    "StepSync",
    "Throttle",
    "Timeouts",
    "TriggerCron",
    "TriggerEvent",
    "tornado",
]

if not TYPE_CHECKING:
    __getattr__, __dir__ = exports(__name__, _WHERE)
