"""What app code imports: the client, function configuration, the step API and the serve handler.

Names mirror inngest-py 0.5.19 so ``import inngest_lab as inngest`` runs typical inngest-py code unchanged.
"""

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
