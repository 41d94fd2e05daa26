"""inngest-lab: a durable event and workflow engine that speaks Inngest's protocol.

``import inngest_lab as inngest`` runs typical inngest-py code unchanged; ``Lab`` embeds the engine.
The SDK names are re-exported from ``inngest_lab.sdk`` (its ``__all__`` is the one list of them). Every name
is imported on first use (``inngest_lab.lazy``), so ``import inngest_lab`` loads neither the engine nor the
HTTP stack.
"""

from typing import TYPE_CHECKING

from inngest_lab import sdk
from inngest_lab.lazy import exports

if TYPE_CHECKING:
    from inngest_lab.engine.model import Run
    from inngest_lab.lab import Lab
    from inngest_lab.protocol.consts import RunStatus
    from inngest_lab.sdk import *  # noqa: F403

__version__ = "0.1.0"

__all__ = ["Lab", "Run", "RunStatus", "__version__"]
__all__ += sdk.__all__

if not TYPE_CHECKING:
    __getattr__, __dir__ = exports(
        __name__,
        {
            "Lab": "inngest_lab.lab",
            "Run": "inngest_lab.engine.model",
            "RunStatus": "inngest_lab.protocol.consts",
            **dict.fromkeys(sdk.__all__, "inngest_lab.sdk"),
        },
    )
