from __future__ import annotations

import inngest_lab.sdk as sdk

# The inngest-py 0.5.19 names typical app code uses; each must exist with the same meaning.
INNGEST_PY_NAMES = {
    "Batch", "Cancel", "Concurrency", "Context", "ContextSync", "Debounce", "Event", "Function", "Inngest",
    "NonRetriableError", "ParallelMode", "Priority", "RateLimit", "RetryAfterError", "Singleton", "Step",
    "StepError", "StepSync", "Throttle", "Timeouts", "TriggerCron", "TriggerEvent",
}  # fmt: skip

OURS = {"CommHandler", "CommRequest", "CommResponse", "EventTransport", "Group", "GroupSync", "HttpEventTransport",
        "InngestLabError", "SendEventsError", "tornado"}  # fmt: skip


def test_public_names_are_pinned() -> None:
    assert set(sdk.__all__) == INNGEST_PY_NAMES | OURS
    assert all(hasattr(sdk, name) for name in sdk.__all__)


def test_every_mirrored_name_exists_in_inngest_py() -> None:
    import inngest

    assert INNGEST_PY_NAMES.issubset(inngest.__all__)
