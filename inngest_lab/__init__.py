"""inngest-lab: a durable event and workflow engine that speaks Inngest's protocol.

``import inngest_lab as inngest`` runs typical inngest-py code unchanged; ``Lab`` embeds the engine.
The SDK names are re-exported from ``inngest_lab.sdk`` (its ``__all__`` is the one list of them).
"""

from inngest_lab import sdk
from inngest_lab.engine.model import Run
from inngest_lab.lab import Lab
from inngest_lab.protocol.consts import RunStatus
from inngest_lab.sdk import *  # noqa: F403

__version__ = "0.1.0"

__all__ = ["Lab", "Run", "RunStatus", "__version__"]
__all__ += sdk.__all__
